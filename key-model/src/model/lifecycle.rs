//! Key lifecycle: states, origins, metadata and the transition table.
//!
//! ```text
//!            enable                 schedule_destruction(at)
//!   Enabled <-------> Disabled ----------------------------> DestroyScheduled
//!            disable     ^                                        |
//!   (not the primary)    |           restore                      | destroy
//!                        +----------------------------------------+
//!                                                                  v
//!                                                              Destroyed (terminal)
//! ```

use core::fmt;

use crate::model::de::{Present, field, guard, own};
use crate::model::id::KeyRef;
use crate::model::time::Timestamp;

/// The lifecycle state of one key version.
///
/// `#[non_exhaustive]` (G10). A state name this version of the library does
/// not know (written to storage by a newer version) deserializes to
/// [`KeyState::Unrecognized`], which the policy refuses for every operation:
/// the record still loads, and the key fails closed.
///
/// Serde uses serde's default external tagging: `"enabled"`, `"disabled"`,
/// `{"destroy_scheduled":{"at":1764000000}}`, `"destroyed"`.
///
/// ```
/// use key_model::{KeyState, Operation};
///
/// let state: KeyState = serde_json::from_str(r#""quarantined""#).unwrap();
/// assert!(matches!(state, KeyState::Unrecognized(_)));
/// assert!(key_model::policy::check(Operation::Decrypt, &state, false).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyState {
    /// Usable: the primary version encrypts; every enabled version decrypts.
    Enabled,
    /// Refuses every operation until enabled again.
    Disabled,
    /// Refuses every operation; the material is destroyed at `at` unless the
    /// version is restored first.
    DestroyScheduled {
        /// When the material is to be destroyed.
        at: Timestamp,
    },
    /// Terminal: the material is gone. The metadata and the version number
    /// stay, so the number is never reused.
    Destroyed,
    /// A state this version of the library does not know. Refuses every
    /// operation and every transition.
    Unrecognized(UnrecognizedState),
}

/// The name of a [`KeyState`] this version of the library does not know, kept
/// so that the record can be written back unchanged.
///
/// Only deserialization creates one, and never for a known name, so an
/// unrecognized state can never turn into a permissive one on a round trip.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UnrecognizedState(Box<str>);

impl UnrecognizedState {
    /// The state's name as stored.
    pub fn name(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnrecognizedState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

/// The variant of a [`KeyState`] without its data: what errors, metrics and
/// tables talk about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StateKind {
    /// [`KeyState::Enabled`].
    Enabled,
    /// [`KeyState::Disabled`].
    Disabled,
    /// [`KeyState::DestroyScheduled`].
    DestroyScheduled,
    /// [`KeyState::Destroyed`].
    Destroyed,
    /// [`KeyState::Unrecognized`].
    Unrecognized,
}

impl StateKind {
    /// The state's name in storage and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            StateKind::Enabled => ENABLED,
            StateKind::Disabled => DISABLED,
            StateKind::DestroyScheduled => DESTROY_SCHEDULED,
            StateKind::Destroyed => DESTROYED,
            StateKind::Unrecognized => "unrecognized",
        }
    }
}

impl fmt::Display for StateKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

const ENABLED: &str = "enabled";
const DISABLED: &str = "disabled";
const DESTROY_SCHEDULED: &str = "destroy_scheduled";
const DESTROYED: &str = "destroyed";

/// A change to a key version's lifecycle state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transition {
    /// Enabled -> Disabled. Not allowed for the primary version.
    Disable,
    /// Disabled -> Enabled.
    Enable,
    /// Disabled -> `DestroyScheduled { at }`.
    ScheduleDestruction {
        /// When the material is to be destroyed.
        at: Timestamp,
    },
    /// `DestroyScheduled` -> Disabled.
    Restore,
    /// `DestroyScheduled` -> Destroyed (terminal).
    Destroy,
    /// Make this version the primary: it must be Enabled, and stays so.
    MakePrimary,
}

impl Transition {
    fn verb(self) -> &'static str {
        match self {
            Transition::Disable => "disable",
            Transition::Enable => "enable",
            Transition::ScheduleDestruction { .. } => "schedule destruction of",
            Transition::Restore => "restore",
            Transition::Destroy => "destroy",
            Transition::MakePrimary => "make primary",
        }
    }
}

/// Why a [`Transition`] was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransitionError {
    /// The primary version cannot be disabled: rotate or set another primary
    /// first.
    PrimaryCannotBeDisabled,
    /// The transition does not start from this state.
    NotAllowed {
        /// The state the version is in.
        from: StateKind,
        /// The transition attempted.
        transition: Transition,
    },
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionError::PrimaryCannotBeDisabled => f.write_str(
                "cannot disable the primary key version: make another version primary first",
            ),
            TransitionError::NotAllowed { from, transition } => {
                write!(
                    f,
                    "cannot {} a key version that is {from}",
                    transition.verb()
                )?;
                match (from, transition) {
                    (StateKind::Enabled, Transition::ScheduleDestruction { .. }) => {
                        f.write_str(": disable it first")
                    }
                    (StateKind::Destroyed, _) => f.write_str(": destroyed is terminal"),
                    _ => Ok(()),
                }
            }
        }
    }
}

impl core::error::Error for TransitionError {}

impl KeyState {
    /// The variant, without data.
    pub fn kind(&self) -> StateKind {
        match self {
            KeyState::Enabled => StateKind::Enabled,
            KeyState::Disabled => StateKind::Disabled,
            KeyState::DestroyScheduled { .. } => StateKind::DestroyScheduled,
            KeyState::Destroyed => StateKind::Destroyed,
            KeyState::Unrecognized(_) => StateKind::Unrecognized,
        }
    }

    /// The state after `transition`, for a version that is the primary or
    /// not, or why the transition is refused. Pure: it changes nothing.
    ///
    /// ```
    /// use key_model::{KeyState, Timestamp, Transition, TransitionError};
    ///
    /// let at = Timestamp::from_unix_seconds(1_800_000_000);
    /// assert_eq!(
    ///     KeyState::Enabled.apply(Transition::Disable, true),
    ///     Err(TransitionError::PrimaryCannotBeDisabled),
    /// );
    /// let disabled = KeyState::Enabled.apply(Transition::Disable, false)?;
    /// let scheduled = disabled.apply(Transition::ScheduleDestruction { at }, false)?;
    /// assert_eq!(scheduled, KeyState::DestroyScheduled { at });
    /// assert_eq!(scheduled.apply(Transition::Restore, false)?, KeyState::Disabled);
    /// # Ok::<(), TransitionError>(())
    /// ```
    pub fn apply(
        &self,
        transition: Transition,
        is_primary: bool,
    ) -> Result<KeyState, TransitionError> {
        let refused = || {
            Err(TransitionError::NotAllowed {
                from: self.kind(),
                transition,
            })
        };
        // Every state is matched explicitly, and so is every transition
        // within it: a new variant is a compile error here, not a silent
        // default.
        match self {
            KeyState::Enabled => match transition {
                Transition::Disable if is_primary => Err(TransitionError::PrimaryCannotBeDisabled),
                Transition::Disable => Ok(KeyState::Disabled),
                Transition::MakePrimary => Ok(KeyState::Enabled),
                Transition::Enable
                | Transition::ScheduleDestruction { .. }
                | Transition::Restore
                | Transition::Destroy => refused(),
            },
            KeyState::Disabled => match transition {
                Transition::Enable => Ok(KeyState::Enabled),
                Transition::ScheduleDestruction { at } => Ok(KeyState::DestroyScheduled { at }),
                Transition::Disable
                | Transition::Restore
                | Transition::Destroy
                | Transition::MakePrimary => refused(),
            },
            KeyState::DestroyScheduled { .. } => match transition {
                Transition::Restore => Ok(KeyState::Disabled),
                Transition::Destroy => Ok(KeyState::Destroyed),
                Transition::Disable
                | Transition::Enable
                | Transition::ScheduleDestruction { .. }
                | Transition::MakePrimary => refused(),
            },
            KeyState::Destroyed | KeyState::Unrecognized(_) => refused(),
        }
    }
}

impl serde::Serialize for KeyState {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            KeyState::Enabled => serializer.serialize_str(ENABLED),
            KeyState::Disabled => serializer.serialize_str(DISABLED),
            KeyState::Destroyed => serializer.serialize_str(DESTROYED),
            KeyState::DestroyScheduled { at } => {
                #[derive(serde::Serialize)]
                struct At {
                    at: Timestamp,
                }
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(DESTROY_SCHEDULED, &At { at: *at })?;
                map.end()
            }
            KeyState::Unrecognized(name) => serializer.serialize_str(name.name()),
        }
    }
}

impl<'de> serde::Deserialize<'de> for KeyState {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        const NEEDS_AT: &str = "invalid key state: `destroy_scheduled` needs its `at` field";

        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct At {
            #[serde(default)]
            at: Present<Timestamp>,
        }

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = KeyState;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key state name, or a map of one state name to its fields")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyState, E> {
                Ok(match v {
                    ENABLED => KeyState::Enabled,
                    DISABLED => KeyState::Disabled,
                    DESTROYED => KeyState::Destroyed,
                    DESTROY_SCHEDULED => {
                        return Err(own(NEEDS_AT));
                    }
                    other => KeyState::Unrecognized(UnrecognizedState(other.into())),
                })
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<KeyState, A::Error> {
                use serde::de::IgnoredAny;
                let Some(name) = map.next_key::<std::borrow::Cow<'de, str>>()? else {
                    return Err(own("invalid key state: the map is empty"));
                };
                let state = if name == DESTROY_SCHEDULED {
                    let At { at } = map.next_value()?;
                    KeyState::DestroyScheduled {
                        at: at.get(NEEDS_AT)?,
                    }
                } else if let ENABLED | DISABLED | DESTROYED = &*name {
                    map.next_value::<IgnoredAny>()?;
                    self.visit_str(&name)?
                } else {
                    // A newer state with fields: keep its name, drop its
                    // fields, refuse everything.
                    map.next_value::<IgnoredAny>()?;
                    KeyState::Unrecognized(UnrecognizedState(name.into()))
                };
                if map.next_key::<IgnoredAny>()?.is_some() {
                    return Err(own(
                        "invalid key state: a key state map has exactly one entry",
                    ));
                }
                Ok(state)
            }
        }

        // Errors the visitor does not make (an unknown field of
        // `destroy_scheduled`, a wrong type) are serde's, which quote the
        // input: the guard replaces them.
        guard(
            deserializer,
            "invalid key state: expected a state name, or a map of one state name to its fields (`{\"destroy_scheduled\":{\"at\":SECONDS}}`)",
            |d| d.deserialize_any(Visitor),
        )
    }
}

/// Where a key's material comes from.
///
/// `#[non_exhaustive]` (G10): bring-your-own-key adds a variant for
/// customer-supplied material without changing anything that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KeyOrigin {
    /// Generated and held by the platform.
    PlatformManaged,
}

/// What serde's derive accepted for [`KeyOrigin`] (a name, a variant index,
/// a one-entry map of a name to unit), kept as it was: the public impl only
/// replaces its errors, which quote an unknown name.
#[derive(serde::Deserialize)]
#[serde(rename = "KeyOrigin", rename_all = "snake_case")]
enum OriginForm {
    PlatformManaged,
}

impl<'de> serde::Deserialize<'de> for KeyOrigin {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let form = guard(
            deserializer,
            "invalid key origin: expected one of `platform_managed`",
            OriginForm::deserialize,
        )?;
        Ok(match form {
            OriginForm::PlatformManaged => KeyOrigin::PlatformManaged,
        })
    }
}

impl fmt::Display for KeyOrigin {
    /// The name serde uses (`platform_managed`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyOrigin::PlatformManaged => "platform_managed",
        })
    }
}

/// What is known about one key version, without its material.
///
/// Metadata is boundary-safe: it can go into API responses, events, exports
/// and audit records. Key material never can.
///
/// ```
/// use key_model::{KeyMetadata, KeyOrigin, KeyRef, KeyState, Operation, Timestamp};
///
/// let key_ref: KeyRef = "tenants/acme/keys/audit-export/versions/1".parse()?;
/// let meta = KeyMetadata::new(key_ref, KeyState::Enabled, KeyOrigin::PlatformManaged, Timestamp::now(), true);
/// assert!(meta.check(Operation::Encrypt).is_ok());
/// # Ok::<(), key_model::ParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct KeyMetadata {
    key_ref: KeyRef,
    state: KeyState,
    origin: KeyOrigin,
    created_at: Timestamp,
    primary: bool,
}

/// What serde's derive accepted for [`KeyMetadata`] (a map, unknown members
/// ignored, or a sequence of the five fields), kept as it was. Each field's
/// own `Deserialize` never quotes its input (`primary` is guarded here), a
/// missing field is named by key-model, and what is left to the guard
/// around it are serde's messages about the container (a wrong shape, a
/// repeated field).
#[derive(serde::Deserialize)]
#[serde(rename = "KeyMetadata")]
struct MetadataForm {
    #[serde(default)]
    key_ref: Present<KeyRef>,
    #[serde(default)]
    state: Present<KeyState>,
    #[serde(default)]
    origin: Present<KeyOrigin>,
    #[serde(default)]
    created_at: Present<Timestamp>,
    #[serde(default, deserialize_with = "primary")]
    primary: Present<bool>,
}

fn primary<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Present<bool>, D::Error> {
    field(
        deserializer,
        "invalid key metadata: `primary` must be true or false",
    )
}

impl<'de> serde::Deserialize<'de> for KeyMetadata {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let MetadataForm {
            key_ref,
            state,
            origin,
            created_at,
            primary,
        } = guard(
            deserializer,
            "invalid key metadata: expected a map of `key_ref`, `state`, `origin`, `created_at` and `primary`, each once",
            MetadataForm::deserialize,
        )?;
        Ok(KeyMetadata {
            key_ref: key_ref.get("invalid key metadata: missing field `key_ref`")?,
            state: state.get("invalid key metadata: missing field `state`")?,
            origin: origin.get("invalid key metadata: missing field `origin`")?,
            created_at: created_at.get("invalid key metadata: missing field `created_at`")?,
            primary: primary.get("invalid key metadata: missing field `primary`")?,
        })
    }
}

impl KeyMetadata {
    /// Metadata for one key version.
    pub fn new(
        key_ref: KeyRef,
        state: KeyState,
        origin: KeyOrigin,
        created_at: Timestamp,
        primary: bool,
    ) -> KeyMetadata {
        KeyMetadata {
            key_ref,
            state,
            origin,
            created_at,
            primary,
        }
    }

    /// The version this metadata describes.
    pub fn key_ref(&self) -> &KeyRef {
        &self.key_ref
    }

    /// Its lifecycle state.
    pub fn state(&self) -> &KeyState {
        &self.state
    }

    /// Where its material comes from.
    pub fn origin(&self) -> KeyOrigin {
        self.origin
    }

    /// When it was created.
    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    /// Whether it is the key's primary version (the one that encrypts).
    pub fn is_primary(&self) -> bool {
        self.primary
    }

    /// Applies `transition` to the state, or leaves everything unchanged and
    /// says why not. See [`KeyState::apply`].
    pub fn apply(&mut self, transition: Transition) -> Result<(), TransitionError> {
        self.state = self.state.apply(transition, self.primary)?;
        Ok(())
    }

    /// Marks this version as the primary or not. Making a version primary
    /// requires it to be Enabled; the caller keeps exactly one primary per
    /// key.
    pub fn set_primary(&mut self, primary: bool) -> Result<(), TransitionError> {
        if primary {
            self.state = self.state.apply(Transition::MakePrimary, self.primary)?;
        }
        self.primary = primary;
        Ok(())
    }
}
