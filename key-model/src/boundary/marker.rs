//! The marker traits that say a type may cross a boundary (G2, G3, G9).
//!
//! This is the one module of the workspace where `unsafe` is allowed (the
//! `#[allow(unsafe_code)]` on its declaration in `boundary/mod.rs`): it
//! declares `unsafe trait SecretFree` and the four boundary kinds, and holds
//! every `unsafe impl` the library makes. Each impl is a promise the compiler
//! cannot check, so they all live here, where one review covers them.
//!
//! What is deliberately absent: [`KeyMaterial`](crate::KeyMaterial),
//! decrypted [`Plaintext`](crate::Plaintext), `secrecy`'s `SecretBox`,
//! `SecretString` and `SecretSlice`, the key ring,
//! [`TenantScope`](crate::TenantScope) (an authorization capability, not
//! data), function pointers and closures (calling one can produce a secret),
//! trait objects (nothing is known about the value behind them) and raw
//! pointers (nothing is known about what they point to). Interior-mutability
//! cells and locks are left out only because DTOs do not need them. The
//! orphan rule stops other crates from adding impls for foreign secret
//! types; inside this crate, the absence is checked by the compile-fail
//! cases of `ui-tests/`.

use std::borrow::{Cow, ToOwned};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::hash::BuildHasherDefault;
use std::hash::RandomState;
use std::marker::PhantomData;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::num::{
    NonZeroI8, NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI128, NonZeroIsize, NonZeroU8,
    NonZeroU16, NonZeroU32, NonZeroU64, NonZeroU128, NonZeroUsize,
};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Not public API (re-exported in `derive_support`): implemented by each
/// boundary kind derive for its type. Two kind derives on one type would
/// each implement `SecretFree`, and rustc reports that conflict (E0119)
/// without a word of the fix; the conflicting impls of this trait, whose
/// name is the fix, are reported too. A derive does not see the other
/// names of its own `#[derive(...)]` list, so it cannot say so itself.
/// Declared before `SecretFree` so that its conflict is reported first.
pub trait DeriveOneBoundaryKindAndNameTheOthersInKeyModelAlso {}

/// A type that cannot hold key material or any other secret.
///
/// Every boundary kind ([`ApiDto`], [`EventDto`], [`ExportDto`],
/// [`AuditDto`]) requires it, and the derives prove it field by field: a type
/// is secret-free when every field's type is, transitively. The library
/// implements it for primitives, strings, the standard containers, tuples,
/// arrays, smart pointers, addresses, durations and its own metadata types
/// ([`KeyRef`](crate::KeyRef), [`KeyMetadata`](crate::KeyMetadata), ...);
/// the features `uuid`, `chrono`, `time` and `serde_json` add those crates'
/// value types. It is never implemented for
/// [`KeyMaterial`](crate::KeyMaterial), `secrecy`'s secret wrappers, or
/// anything holding them.
///
/// Derive it on plain value types nested in a DTO:
///
/// ```
/// use key_model::{ApiDto, KeyRef, SecretFree};
///
/// #[derive(serde::Serialize, SecretFree)]
/// struct Recording {
///     bytes: u64,
///     encryption_key_ref: KeyRef,
/// }
///
/// #[derive(serde::Serialize, ApiDto)]
/// struct SessionResponse {
///     id: String,
///     recordings: Vec<Recording>,
/// }
///
/// fn assert_secret_free<T: SecretFree + ?Sized>() {}
/// assert_secret_free::<SessionResponse>();
/// assert_secret_free::<Option<Vec<Recording>>>();
/// ```
///
/// Key material is not secret-free, so a DTO holding it does not compile:
///
/// ```compile_fail,E0277
/// #[derive(key_model::ApiDto)]
/// struct Leaky {
///     key: key_model::KeyMaterial,
/// }
/// ```
///
/// # Safety
///
/// Implementing it by hand promises that no value of the type, and nothing
/// it contains or points to, holds key material or another secret. The
/// compiler cannot check the promise, which is why the trait is `unsafe`:
/// derive it instead, and the derive proves it field by field. A hand-written
/// `unsafe impl SecretFree` is the one escape hatch of G2 (see
/// `docs/guarantees.md`, G9); a crate with `#![forbid(unsafe_code)]` cannot
/// write one, and the derives still work there.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not known to be secret-free, so it cannot cross a boundary",
    label = "`{Self}` is not proven secret-free",
    note = "a secret (`key_model::KeyMaterial`, `Plaintext`, secrecy's secrets) never is: expose a reference instead (`encryption_key_ref: key_model::KeyRef`)",
    note = "a plain value type of your own becomes secret-free with `#[derive(key_model::SecretFree)]`; for another crate's type, send its value as a secret-free type (a number, a `String`)"
)]
pub unsafe trait SecretFree {
    /// Not public API: an associated constant keeps the trait from being
    /// made into a trait object (`dyn SecretFree` would be proven by its
    /// own vtable, not field by field). The derives prove the fields in a
    /// function signature of their own, not here.
    #[doc(hidden)]
    const NOT_DYN_COMPATIBLE: () = ();
}

/// A type that may be sent as an HTTP API response body (or request body).
///
/// Implemented by `#[derive(ApiDto)]`, which proves every field
/// [`SecretFree`]; accepted by the API sink, [`sink::api_json`](crate::sink::api_json).
///
/// ```
/// use key_model::{ApiDto, KeyRef};
///
/// #[derive(serde::Serialize, ApiDto)]
/// struct KeyResponse {
///     encryption_key_ref: KeyRef,
///     enabled: bool,
/// }
///
/// let body = KeyResponse {
///     encryption_key_ref: "tenants/acme/keys/audit-export/versions/2".parse()?,
///     enabled: true,
/// };
/// let json = key_model::sink::api_json(&body)?;
/// assert_eq!(
///     json,
///     br#"{"encryption_key_ref":"tenants/acme/keys/audit-export/versions/2","enabled":true}"#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Implementing it by hand does not compile (E0200: the trait is `unsafe`):
///
/// ```compile_fail,E0200
/// #[derive(key_model::SecretFree)]
/// struct Body { id: u64 }
/// impl key_model::ApiDto for Body {}
/// ```
///
/// # Safety
///
/// The implementing type must be [`SecretFree`] in truth, not only by an
/// impl, and meant for API bodies. Derive it instead.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an API DTO, so it cannot be sent as an API response",
    label = "`{Self}` does not implement `ApiDto`",
    note = "add `#[derive(key_model::ApiDto)]` to `{Self}`: the derive proves every field secret-free"
)]
pub unsafe trait ApiDto: SecretFree {}

/// A type that may be published as an event payload.
///
/// Implemented by `#[derive(EventDto)]`; accepted by the event sink,
/// [`sink::event_json`](crate::sink::event_json).
///
/// ```
/// use key_model::{EventDto, KeyRef};
///
/// #[derive(serde::Serialize, EventDto)]
/// struct KeyRotated {
///     new_primary: KeyRef,
/// }
/// ```
///
/// # Safety
///
/// As for [`ApiDto`]: derive it instead.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an event DTO, so it cannot be published as an event",
    label = "`{Self}` does not implement `EventDto`",
    note = "add `#[derive(key_model::EventDto)]` to `{Self}`: the derive proves every field secret-free"
)]
pub unsafe trait EventDto: SecretFree {}

/// A type that may be written as a row of a data export (JSON Lines, CSV).
///
/// Implemented by `#[derive(ExportDto)]`; accepted by the export sinks,
/// [`sink::JsonLinesWriter`](crate::sink::JsonLinesWriter) and
/// [`sink::CsvWriter`](crate::sink::CsvWriter).
///
/// ```
/// use key_model::ExportDto;
///
/// #[derive(serde::Serialize, ExportDto)]
/// struct SessionRow {
///     session_id: String,
///     bytes: u64,
/// }
/// ```
///
/// # Safety
///
/// As for [`ApiDto`]: derive it instead.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an export DTO, so it cannot be written to an export",
    label = "`{Self}` does not implement `ExportDto`",
    note = "add `#[derive(key_model::ExportDto)]` to `{Self}`: the derive proves every field secret-free"
)]
pub unsafe trait ExportDto: SecretFree {}

/// A type that may be written as an audit record.
///
/// Implemented by `#[derive(AuditDto)]`; accepted by the audit sink,
/// [`sink::AuditWriter`](crate::sink::AuditWriter).
///
/// ```
/// use key_model::{AuditDto, KeyRef};
///
/// #[derive(serde::Serialize, AuditDto)]
/// struct KeyDisabled {
///     actor: String,
///     key: KeyRef,
/// }
/// ```
///
/// # Safety
///
/// As for [`ApiDto`]: derive it instead.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an audit DTO, so it cannot be written as an audit record",
    label = "`{Self}` does not implement `AuditDto`",
    note = "add `#[derive(key_model::AuditDto)]` to `{Self}`: the derive proves every field secret-free"
)]
pub unsafe trait AuditDto: SecretFree {}

/// Types that hold no data beyond their own value: numbers, text, addresses,
/// durations and the key model's metadata.
///
/// Every impl of this module carries `#[diagnostic::do_not_recommend]`. On a
/// leaf it keeps the compiler from listing "the following other types
/// implement trait `SecretFree`" under every error (a long list that changes
/// whenever an impl is added); on a container it also makes the error name
/// the field's whole type (`Option<KeyMaterial>` is not proven secret-free),
/// which is what the user wrote.
macro_rules! secret_free_leaf {
    ($($ty:ty),* $(,)?) => {
        $(
            #[diagnostic::do_not_recommend]
            // SAFETY: a plain value with no field that could hold a secret.
            unsafe impl SecretFree for $ty {}
        )*
    };
}

secret_free_leaf!(
    (),
    bool,
    char,
    str,
    String,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    f32,
    f64,
    NonZeroI8,
    NonZeroI16,
    NonZeroI32,
    NonZeroI64,
    NonZeroI128,
    NonZeroIsize,
    NonZeroU8,
    NonZeroU16,
    NonZeroU32,
    NonZeroU64,
    NonZeroU128,
    NonZeroUsize,
    Duration,
    SystemTime,
    IpAddr,
    Ipv4Addr,
    Ipv6Addr,
    SocketAddr,
    SocketAddrV4,
    SocketAddrV6,
    // The default hasher of `HashMap` and `HashSet`. Its random keys protect
    // against hash flooding; they are never serialized and are not key
    // material of the tenant model.
    RandomState,
    crate::TenantId,
    crate::KeyPurpose,
    crate::KeyVersion,
    crate::KeyName,
    crate::KeyRef,
    crate::KeyState,
    crate::UnrecognizedState,
    crate::StateKind,
    crate::KeyOrigin,
    crate::KeyMetadata,
    crate::Timestamp,
    crate::Operation,
    // An envelope is ciphertext and its authenticated header (a key
    // reference, a nonce): made to be stored and sent anywhere. Reading what
    // it protects takes the key, a scope and the context. `Plaintext` is
    // deliberately absent.
    crate::Envelope,
    crate::Algorithm,
);

/// Containers and pointers: secret-free exactly when what they hold is.
macro_rules! secret_free_container {
    ($(impl<$($param:ident $(: ?$unsized:ident)?),*> for $ty:ty;)*) => {
        $(
            #[diagnostic::do_not_recommend]
            // SAFETY: holds only values of its parameters, each required to
            // be secret-free.
            unsafe impl<$($param: SecretFree $(+ ?$unsized)?),*> SecretFree for $ty {}
        )*
    };
}

secret_free_container! {
    impl<T: ?Sized> for &T;
    impl<T: ?Sized> for &mut T;
    impl<T: ?Sized> for Box<T>;
    impl<T: ?Sized> for Rc<T>;
    impl<T: ?Sized> for Arc<T>;
    impl<T> for Option<T>;
    impl<T, E> for Result<T, E>;
    impl<T> for [T];
    impl<T> for Vec<T>;
    impl<T> for VecDeque<T>;
    impl<T> for LinkedList<T>;
    impl<T> for BinaryHeap<T>;
    impl<T> for BTreeSet<T>;
    impl<K, V> for BTreeMap<K, V>;
    impl<T, S> for HashSet<T, S>;
    impl<K, V, S> for HashMap<K, V, S>;
    impl<T> for std::cmp::Reverse<T>;
    impl<T> for std::num::Wrapping<T>;
}

#[diagnostic::do_not_recommend]
// SAFETY: N values of a secret-free type.
unsafe impl<T: SecretFree, const N: usize> SecretFree for [T; N] {}

#[diagnostic::do_not_recommend]
// SAFETY: holds no value at all, whatever `T` is; it only names a type.
unsafe impl<T: ?Sized> SecretFree for PhantomData<T> {}

#[diagnostic::do_not_recommend]
// SAFETY: a zero-sized hasher factory; `H` is only named, never stored.
unsafe impl<H> SecretFree for BuildHasherDefault<H> {}

#[diagnostic::do_not_recommend]
// SAFETY: a `Cow` holds either a `&B` or a `B::Owned`, and both are required
// to be secret-free.
unsafe impl<B> SecretFree for Cow<'_, B>
where
    B: ?Sized + ToOwned + SecretFree,
    B::Owned: SecretFree,
{
}

macro_rules! secret_free_tuple {
    ($($name:ident)+) => {
        #[diagnostic::do_not_recommend]
        // SAFETY: holds only its elements, each required to be secret-free.
        unsafe impl<$($name: SecretFree),+> SecretFree for ($($name,)+) {}
    };
}

secret_free_tuple!(A);
secret_free_tuple!(A B);
secret_free_tuple!(A B C);
secret_free_tuple!(A B C D);
secret_free_tuple!(A B C D E);
secret_free_tuple!(A B C D E F);
secret_free_tuple!(A B C D E F G);
secret_free_tuple!(A B C D E F G H);
secret_free_tuple!(A B C D E F G H I);
secret_free_tuple!(A B C D E F G H I J);
secret_free_tuple!(A B C D E F G H I J K);
secret_free_tuple!(A B C D E F G H I J K L);

// `uuid::Uuid` is 128 bits of identifier.
#[cfg(feature = "uuid")]
secret_free_leaf!(uuid::Uuid, uuid::NonNilUuid);

// chrono's dates, times, durations and fixed offsets: numbers, no room for
// anything else.
#[cfg(feature = "chrono")]
secret_free_leaf!(
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::NaiveDateTime,
    chrono::TimeDelta,
    chrono::FixedOffset,
    chrono::Utc,
    chrono::Weekday,
    chrono::Month,
);

#[cfg(feature = "chrono")]
#[diagnostic::do_not_recommend]
// SAFETY: a `DateTime` is a naive UTC date-time plus the time zone's offset,
// which is required to be secret-free (it is for `Utc`, `FixedOffset` and
// `Local`, whose offset is a `FixedOffset`).
unsafe impl<Tz> SecretFree for chrono::DateTime<Tz>
where
    Tz: chrono::TimeZone,
    Tz::Offset: SecretFree,
{
}

// The `time` crate's dates, times, offsets and durations: numbers only.
#[cfg(feature = "time")]
secret_free_leaf!(
    time::Date,
    time::Time,
    time::PrimitiveDateTime,
    time::OffsetDateTime,
    time::UtcOffset,
    time::Duration,
    time::Weekday,
    time::Month,
);

// `serde_json::Value` (and its `Map` and `Number`). It is as safe as
// `String`, and no safer: it holds only what code put into it. Key material
// cannot get in by itself: `KeyMaterial` has no accessor and no `Serialize`,
// and `secrecy`'s wrappers give their contents up only to an explicit
// `expose_secret()`.
// What it gives up is the field-by-field proof: a reviewer cannot see from
// the type what a `Value` will carry. That is why it is behind a feature a
// service opts into.
#[cfg(feature = "serde_json")]
secret_free_leaf!(serde_json::Value, serde_json::Number, serde_json::Map<String, serde_json::Value>);
