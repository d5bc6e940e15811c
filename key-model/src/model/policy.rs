//! The fail-closed policy (G6): one pure function decides whether an
//! operation may use a key version.
//!
//! | state                 | encrypt         | decrypt | re-encrypt (source) | load material |
//! |-----------------------|-----------------|---------|---------------------|---------------|
//! | `Enabled`, primary    | yes             | yes     | yes                 | yes           |
//! | `Enabled`, not primary| no (not primary)| yes     | yes                 | yes           |
//! | `Disabled`            | no              | no      | no                  | no            |
//! | `DestroyScheduled`    | no              | no      | no                  | no            |
//! | `Destroyed`           | no              | no      | no                  | no            |
//! | `Unrecognized`        | no              | no      | no                  | no            |
//!
//! Re-encryption also encrypts under the current primary, which is checked as
//! [`Operation::Encrypt`] on that version.
//!
//! The policy sits above the lifecycle: it reads states, and the lifecycle
//! knows nothing of operations (`KeyMetadata::check` is implemented here).

use core::fmt;

use crate::model::lifecycle::{KeyMetadata, KeyState, StateKind};

/// An operation that needs a key version's material.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// Encrypt new data. Only the primary version may.
    Encrypt,
    /// Decrypt data encrypted under this version.
    Decrypt,
    /// Decrypt data under this version in order to encrypt it again under the
    /// primary, without handing the plaintext to the caller.
    ReEncrypt,
    /// Load (unwrap) the version's material into memory.
    LoadMaterial,
}

impl Operation {
    /// Every operation, for exhaustive tests and tables. A slice, not an
    /// array: adding an operation (the enum is `#[non_exhaustive]`, G10)
    /// does not change its type.
    pub const ALL: &'static [Operation] = &[
        Operation::Encrypt,
        Operation::Decrypt,
        Operation::ReEncrypt,
        Operation::LoadMaterial,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Operation::Encrypt => "encrypt",
            Operation::Decrypt => "decrypt",
            Operation::ReEncrypt => "re-encrypt",
            Operation::LoadMaterial => "load material",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why the policy refused an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Refusal {
    operation: Operation,
    state: StateKind,
}

impl Refusal {
    /// The operation refused.
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// The state of the version that refused it. `Enabled` means the version
    /// is not the primary and the operation was [`Operation::Encrypt`].
    pub fn state(&self) -> StateKind {
        self.state
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.state {
            StateKind::Enabled => write!(
                f,
                "{} refused: key version is not the primary",
                self.operation
            ),
            StateKind::Unrecognized => write!(
                f,
                "{} refused: key version is in a state this version of key-model does not recognise",
                self.operation
            ),
            state @ (StateKind::Disabled | StateKind::DestroyScheduled | StateKind::Destroyed) => {
                write!(f, "{} refused: key version is {state}", self.operation)
            }
        }
    }
}

impl core::error::Error for Refusal {}

/// Whether `operation` may use a key version in `state` that is (or is not)
/// the primary version of its key. Pure and total: every state has its own
/// arm, with no wildcard, so a state added later does not compile until it
/// is decided here; a state this version does not know refuses everything.
///
/// ```
/// use key_model::{policy, KeyState, Operation};
///
/// assert!(policy::check(Operation::Encrypt, &KeyState::Enabled, true).is_ok());
/// assert!(policy::check(Operation::Encrypt, &KeyState::Enabled, false).is_err());
/// assert!(policy::check(Operation::Decrypt, &KeyState::Enabled, false).is_ok());
/// let refusal = policy::check(Operation::Decrypt, &KeyState::Disabled, false).unwrap_err();
/// assert_eq!(refusal.to_string(), "decrypt refused: key version is disabled");
/// ```
pub fn check(operation: Operation, state: &KeyState, is_primary: bool) -> Result<(), Refusal> {
    let refuse = |state| Err(Refusal { operation, state });
    match state {
        KeyState::Enabled => match operation {
            Operation::Encrypt if is_primary => Ok(()),
            Operation::Encrypt => refuse(StateKind::Enabled),
            Operation::Decrypt | Operation::ReEncrypt | Operation::LoadMaterial => Ok(()),
        },
        KeyState::Disabled => refuse(StateKind::Disabled),
        KeyState::DestroyScheduled { .. } => refuse(StateKind::DestroyScheduled),
        KeyState::Destroyed => refuse(StateKind::Destroyed),
        KeyState::Unrecognized(_) => refuse(StateKind::Unrecognized),
    }
}

impl KeyMetadata {
    /// Whether the fail-closed policy allows `operation` on this version.
    /// See [`policy::check`](crate::policy::check).
    pub fn check(&self, operation: Operation) -> Result<(), Refusal> {
        check(operation, self.state(), self.is_primary())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_a_slice_of_every_operation_once() {
        // The type is the point: an array's length is part of its type.
        let all: &'static [Operation] = Operation::ALL;
        let mut seen = [0usize; 4];
        for op in all {
            // Exhaustive here, inside the crate: a new operation does not
            // compile until it is counted, and then must be in `ALL`.
            let i = match op {
                Operation::Encrypt => 0,
                Operation::Decrypt => 1,
                Operation::ReEncrypt => 2,
                Operation::LoadMaterial => 3,
            };
            seen[i] += 1;
        }
        assert_eq!(seen, [1; 4]);
    }
}
