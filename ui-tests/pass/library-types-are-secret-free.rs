// Every type the library declares secret-free can be a DTO field.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::marker::PhantomData;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::num::{NonZeroI64, NonZeroU8, NonZeroU32, NonZeroUsize};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use key_model::{
    ApiDto, KeyMetadata, KeyName, KeyOrigin, KeyPurpose, KeyRef, KeyState, KeyVersion, TenantId,
    Timestamp,
};

#[derive(ApiDto)]
struct Everything<'a> {
    integers: (i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize),
    floats: (f32, f64),
    other: (bool, char, ()),
    text: (String, &'a str, Box<str>, Cow<'a, str>, Rc<str>, Arc<str>),
    non_zero: (NonZeroU8, NonZeroU32, NonZeroI64, NonZeroUsize),
    options: Option<Result<Vec<u8>, String>>,
    collections: (
        VecDeque<u8>,
        HashMap<String, u8>,
        BTreeMap<u8, String>,
        HashSet<String>,
        BTreeSet<u8>,
    ),
    arrays: ([u8; 32], &'a [u16], Box<[u32]>),
    time: (Duration, SystemTime, Timestamp),
    net: (IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6),
    model: (TenantId, KeyPurpose, KeyVersion, KeyName, KeyRef, KeyState, KeyOrigin),
    metadata: Vec<KeyMetadata>,
    // Holds no value: naming a secret type is not holding one.
    marker: PhantomData<key_model::KeyMaterial>,
}

fn main() {
    fn assert_api<T: key_model::ApiDto>() {}
    assert_api::<Everything<'static>>();
}
