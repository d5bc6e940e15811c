//! Stable error codes (G10): every error of the crate gives one, and an API
//! error body holding it goes through the API sink.

use key_model::sink::{self, EventEnvelope};
use key_model::{
    ApiDto, BackendError, BackendErrorKind, Envelope, Error, ErrorCode, KeyRef, KeyState,
    Operation, TenantId, Transition, policy,
};

/// The body a service sends for an error: the code and its fixed message,
/// never the error's `Display`.
#[derive(serde::Serialize, ApiDto)]
struct ErrorBody {
    code: ErrorCode,
    message: &'static str,
}

#[test]
fn an_error_body_with_a_code_goes_through_the_api_sink() {
    let secret_like = "tenants/sk_live_51HxQ/keys/billing/versions/07";
    let err = Error::from(secret_like.parse::<KeyRef>().unwrap_err());
    let body = ErrorBody {
        code: err.code(),
        message: err.code().message(),
    };
    let json = String::from_utf8(sink::api_json(&body).unwrap()).unwrap();
    assert_eq!(
        json,
        r#"{"code":"invalid_identifier","message":"the identifier or key reference is malformed"}"#
    );
    assert!(!json.contains("sk_live"));
}

#[test]
fn every_error_maps_to_its_code() {
    let refused =
        |state: &KeyState, primary| policy::check(Operation::Decrypt, state, primary).unwrap_err();
    let cases: Vec<(Error, ErrorCode)> = vec![
        (
            "07".parse::<key_model::KeyVersion>().unwrap_err().into(),
            ErrorCode::InvalidIdentifier,
        ),
        (
            KeyState::Enabled
                .apply(Transition::Disable, true)
                .unwrap_err()
                .into(),
            ErrorCode::PrimaryCannotBeDisabled,
        ),
        (
            KeyState::Destroyed
                .apply(Transition::Enable, false)
                .unwrap_err()
                .into(),
            ErrorCode::TransitionNotAllowed,
        ),
        (
            policy::check(Operation::Encrypt, &KeyState::Enabled, false)
                .unwrap_err()
                .into(),
            ErrorCode::KeyNotPrimary,
        ),
        (
            refused(&KeyState::Disabled, false).into(),
            ErrorCode::KeyDisabled,
        ),
        (
            refused(&KeyState::Destroyed, false).into(),
            ErrorCode::KeyDestroyed,
        ),
        (Error::KeyNotFound, ErrorCode::KeyNotFound),
        (Error::KeyExists, ErrorCode::KeyExists),
        (Error::VersionsExhausted, ErrorCode::VersionsExhausted),
        (
            Envelope::from_bytes(&[0x01]).unwrap_err().into(),
            ErrorCode::MalformedEnvelope,
        ),
        (Error::DecryptionFailed, ErrorCode::DecryptionFailed),
        (Error::PlaintextTooLong, ErrorCode::PlaintextTooLong),
        (Error::Random, ErrorCode::RandomSourceFailed),
        (
            BackendError::new(BackendErrorKind::Unavailable, "db down").into(),
            ErrorCode::BackendUnavailable,
        ),
        (
            BackendError::new(BackendErrorKind::Corrupt, "bad row").into(),
            ErrorCode::BackendCorrupt,
        ),
        (
            BackendError::new(BackendErrorKind::Unwrap, "tag").into(),
            ErrorCode::BackendUnwrapFailed,
        ),
        (
            BackendError::new(BackendErrorKind::Conflict, "revision 7 is stale").into(),
            ErrorCode::BackendConflict,
        ),
        (
            BackendError::new(BackendErrorKind::UnsupportedFormat, "schema 9").into(),
            ErrorCode::BackendUnsupportedFormat,
        ),
        (
            BackendError::new(BackendErrorKind::Refused, "key disabled at the KMS").into(),
            ErrorCode::BackendRefused,
        ),
    ];
    for (err, code) in &cases {
        assert_eq!(err.code(), *code, "{err}");
        // The code never carries what the message says about the input.
        assert!(!code.as_str().contains(' '));
    }
}

struct Failing;
impl std::io::Write for Failing {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk full"))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn sink_errors_have_codes() {
    #[derive(Debug, serde::Serialize, key_model::EventDto)]
    struct Rotated {
        version: u32,
    }
    let tenant: TenantId = "acme".parse().unwrap();
    let err = EventEnvelope::new(&tenant, "Key Rotated", &Rotated { version: 2 }).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidEventType);

    let body = ErrorBody {
        code: ErrorCode::KeyNotFound,
        message: "key not found",
    };
    let err = sink::write_api_json(Failing, &body).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SinkIo);
}
