//! The names the audit watches, and the renames of them in one file.

use std::collections::HashMap;

use crate::finding::Kind;

/// The marker traits: implementing one by hand is a promise nobody checks.
pub(crate) const MARKERS: [&str; 5] = ["SecretFree", "ApiDto", "EventDto", "ExportDto", "AuditDto"];
/// The plug point that sees raw key material.
pub(crate) const ROOT_KEY: &str = "RootKey";
/// The plug point that stores wrapped keys.
pub(crate) const KEY_STORE: &str = "KeyStore";
/// The capability type.
pub(crate) const TENANT_SCOPE: &str = "TenantScope";
/// The capability's one constructor. An inherent function cannot be
/// imported or renamed, so its name is matched as is.
pub(crate) const AUTHORIZED_BY_HOST: &str = "authorized_by_host";

/// The watched name `name` is, if it is one (raw identifiers already
/// stripped of `r#`).
pub(crate) fn canonical(name: &str) -> Option<&'static str> {
    MARKERS
        .iter()
        .chain(&[ROOT_KEY, KEY_STORE, TENANT_SCOPE, AUTHORIZED_BY_HOST])
        .find(|watched| **watched == name)
        .copied()
}

/// The kind of an impl of the watched trait `canonical`, or `None` if it is
/// not a trait.
pub(crate) fn impl_kind(canonical: &str) -> Option<Kind> {
    if MARKERS.contains(&canonical) {
        Some(Kind::UnsafeImpl)
    } else if canonical == ROOT_KEY {
        Some(Kind::RootKeyImpl)
    } else if canonical == KEY_STORE {
        Some(Kind::KeyStoreImpl)
    } else {
        None
    }
}

/// The local names of one file that stand for a watched name.
///
/// Renames are collected from the whole file, whatever the scope they are
/// written in (a `use ... as` inside a function or a module counts
/// everywhere in the file): an audit would rather list an impl of an
/// unrelated `Sf` than miss one. Chains (`use a::SecretFree as A; use A as
/// B;`) are followed.
#[derive(Default)]
pub(crate) struct Aliases {
    map: HashMap<String, &'static str>,
}

impl Aliases {
    /// Resolves the edges `(from, to)` (`to` is a local name for `from`)
    /// to a fixed point.
    pub(crate) fn from_edges(edges: &[(String, String)]) -> Aliases {
        let mut aliases = Aliases::default();
        loop {
            let mut changed = false;
            for (from, to) in edges {
                if let Some(real) = aliases.resolve(from)
                    && canonical(to).is_none()
                    && !aliases.map.contains_key(to)
                {
                    aliases.map.insert(to.clone(), real);
                    changed = true;
                }
            }
            if !changed {
                return aliases;
            }
        }
    }

    /// The watched name `name` stands for in this file, if any.
    pub(crate) fn resolve(&self, name: &str) -> Option<&'static str> {
        canonical(name).or_else(|| self.map.get(name).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::Aliases;

    fn edges(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn follows_chains_in_any_order_and_stops_on_cycles() {
        let aliases = Aliases::from_edges(&edges(&[
            ("B", "C"),
            ("A", "B"),
            ("SecretFree", "A"),
            ("C", "A"),
        ]));
        for name in ["A", "B", "C", "SecretFree"] {
            assert_eq!(aliases.resolve(name), Some("SecretFree"), "{name}");
        }
        let unrelated = Aliases::from_edges(&edges(&[("X", "Y"), ("Y", "X")]));
        assert_eq!(unrelated.resolve("X"), None);
    }

    #[test]
    fn a_watched_name_is_never_an_alias_of_another() {
        // `use a::RootKey as SecretFree` does not make `SecretFree` a root key.
        let aliases = Aliases::from_edges(&edges(&[("RootKey", "SecretFree")]));
        assert_eq!(aliases.resolve("SecretFree"), Some("SecretFree"));
    }
}
