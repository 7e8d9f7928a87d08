//! Conversions between the core's values and the WIT's: frames, errors,
//! options. Pure functions, so native unit tests cover them.

use redlet_core::cmd::strings::{absolute_expire, SetCondition as CoreCondition, SetExpiry as CoreExpiry, SetOptions as CoreSetOptions};
use redlet_core::frame::Frame as CoreFrame;
use redlet_core::persist::PersistError;
use redlet_core::{Protocol, Reply};

use crate::exports::redlet::engine::engine::{SetCondition, SetExpiry, SetOptions};
use crate::redlet::engine::types::{Error as WitError, Frame};

/// The one error-mapping family of the component: core errors are Redis's
/// reply text, storage failures `<blob>: <reason>`.
pub fn reply_error(e: redlet_core::Error) -> WitError {
    WitError::Reply(text(e.to_bytes()))
}

/// A persistence failure as the WIT reports it.
pub fn storage_error(e: PersistError) -> WitError {
    WitError::Storage(format!("{}: {}", e.blob, e.reason))
}

/// A refused configuration directive: the directive and Redis's reason
/// (without the `ERR ` code, as redis-server prints config file errors).
pub fn config_error(name: &str, value: &str, e: redlet_core::Error) -> WitError {
    let reason = text(e.to_bytes());
    let reason = reason.strip_prefix("ERR ").unwrap_or(&reason);
    WitError::Config(format!("'{name} \"{value}\"': {reason}"))
}

/// Error text is ASCII save for user bytes quoted in a few messages;
/// those are replaced, as a WIT `string` must be UTF-8.
pub fn text(b: Vec<u8>) -> String {
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The frames a client of `proto` reads for `r`, appended to `out`
/// (bulk payloads move, see [`Reply::into_frames`]).
pub fn frames(r: Reply, proto: Protocol, out: &mut Vec<Frame>) {
    let mut core = Vec::new();
    r.into_frames(proto, &mut core);
    out.extend(core.into_iter().map(frame));
}

/// One core frame as the WIT variant (payloads are moved, not copied).
pub fn frame(f: CoreFrame) -> Frame {
    match f {
        CoreFrame::Simple(s) => Frame::Simple(s),
        CoreFrame::Error(s) => Frame::Error(s),
        CoreFrame::Integer(n) => Frame::Integer(n),
        CoreFrame::Bulk(b) => Frame::Bulk(b),
        CoreFrame::Null => Frame::Null,
        CoreFrame::NullArray => Frame::NullArray,
        CoreFrame::Double(d) => Frame::Double(d),
        CoreFrame::Boolean(b) => Frame::Boolean(b),
        CoreFrame::BigNumber(s) => Frame::BigNumber(s),
        CoreFrame::Verbatim(f, b) => Frame::Verbatim((f, b)),
        CoreFrame::Array(n) => Frame::Array(n),
        CoreFrame::Map(n) => Frame::Map(n),
        CoreFrame::Set(n) => Frame::Set(n),
        CoreFrame::Push(n) => Frame::Push(n),
    }
}

/// The typed `set`'s options as SET's, `now` being the command's instant
/// in ms: `after-ms`/`at-ms` get PX's/PXAT's checks and errors (`0`, or a
/// value past i64, is refused exactly as `SET k v PX 0` is).
pub fn set_options(o: &SetOptions, now: u64) -> redlet_core::Result<CoreSetOptions> {
    let condition = match o.condition {
        SetCondition::Always => CoreCondition::Always,
        SetCondition::IfAbsent => CoreCondition::IfAbsent,
        SetCondition::IfPresent => CoreCondition::IfPresent,
    };
    let expiry = match o.expiry {
        SetExpiry::None => CoreExpiry::Clear,
        SetExpiry::Keep => CoreExpiry::Keep,
        SetExpiry::AfterMs(ms) => CoreExpiry::At(absolute_expire(now, true, false, ms.to_string().as_bytes(), "set")?),
        SetExpiry::AtMs(ms) => CoreExpiry::At(absolute_expire(now, true, true, ms.to_string().as_bytes(), "set")?),
    };
    Ok(CoreSetOptions { condition, expiry, get: false })
}

/// A count from the core as the WIT's `u64`.
pub fn count(n: usize) -> u64 {
    n as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_follow_the_protocol() {
        let r = Reply::Map(vec![(Reply::bulk(b"k"), Reply::Bool(true)), (Reply::bulk(b"d"), Reply::Double(0.5))]);
        let mut f = Vec::new();
        frames(r.clone(), Protocol::Resp2, &mut f);
        assert!(matches!(f.as_slice(), [Frame::Array(4), Frame::Bulk(_), Frame::Integer(1), Frame::Bulk(_), Frame::Bulk(d)] if d == b"0.5"));
        let mut f = Vec::new();
        frames(r, Protocol::Resp3, &mut f);
        assert!(matches!(f.as_slice(), [Frame::Map(2), Frame::Bulk(_), Frame::Boolean(true), Frame::Bulk(_), Frame::Double(d)] if *d == 0.5));
        let mut f = Vec::new();
        frames(Reply::Verbatim("txt", b"x".to_vec()), Protocol::Resp3, &mut f);
        assert!(matches!(f.as_slice(), [Frame::Verbatim((fmt, b))] if fmt == "txt" && b == b"x"));
    }

    #[test]
    fn errors_keep_redis_text() {
        assert!(matches!(reply_error(redlet_core::Error::WrongType), WitError::Reply(t) if t.starts_with("WRONGTYPE ")));
        let e = PersistError { blob: "snapshot".into(), reason: "bad checksum".into() };
        assert!(matches!(storage_error(e), WitError::Storage(t) if t == "snapshot: bad checksum"));
        let mut cfg = redlet_core::Config::default();
        let e = cfg.set_param("no-such-directive", "1").unwrap_err();
        assert!(matches!(config_error("no-such-directive", "1", e), WitError::Config(t) if t == "'no-such-directive \"1\"': Bad directive or wrong number of arguments"));
    }

    #[test]
    fn set_expiry_has_px_checks() {
        let o = |expiry| SetOptions { condition: SetCondition::IfAbsent, expiry };
        let s = set_options(&o(SetExpiry::AfterMs(500)), 1_000).unwrap();
        assert_eq!((s.condition, s.expiry), (CoreCondition::IfAbsent, CoreExpiry::At(1_500)));
        assert_eq!(set_options(&o(SetExpiry::AtMs(7)), 1_000).unwrap().expiry, CoreExpiry::At(7));
        let invalid = "ERR invalid expire time in 'set' command";
        assert_eq!(set_options(&o(SetExpiry::AfterMs(0)), 1_000).unwrap_err().to_string(), invalid);
        assert_eq!(set_options(&o(SetExpiry::AtMs(0)), 1_000).unwrap_err().to_string(), invalid);
        assert_eq!(set_options(&o(SetExpiry::AfterMs(u64::MAX)), 1_000).unwrap_err(), redlet_core::Error::NotInteger);
    }
}

