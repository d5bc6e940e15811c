// `#[cfg_attr]` cannot hide a field from the derive but not from the type:
// attributes are configured before any derive runs, so a field either
// exists (and is checked, whatever serde attributes the `cfg_attr` adds)
// or does not exist at all.
use key_model::{ApiDto, KeyMaterial};

#[derive(serde::Serialize, ApiDto)]
struct Body {
    id: u64,
    #[cfg_attr(not(any()), serde(skip))]
    #[cfg_attr(any(), cfg(any()))]
    key: KeyMaterial,
}

fn main() {}
