//! Redis-style log lines on stdout: `PID:R DD Mon YYYY HH:MM:SS.mmm L message`,
//! where R is the role (`C` before the server runs, `M` after) and L the
//! level mark (`*` notice, `#` warning). Times are UTC; no timezone database.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Log level marks as Redis prints them.
#[derive(Clone, Copy)]
pub enum Level {
    /// `*`
    Notice,
    /// `#`
    Warning,
}

/// Writes one log line and flushes, so a supervisor (or a test) reading the
/// pipe sees it at once.
pub fn log(role: char, level: Level, msg: &str) {
    let mark = match level {
        Level::Notice => '*',
        Level::Warning => '#',
    };
    let line = format!("{}:{} {} {} {}\n", std::process::id(), role, timestamp(), mark, msg);
    let mut out = std::io::stdout().lock();
    // A closed stdout must not take the server down.
    let _ = out.write_all(line.as_bytes());
    let _ = out.flush();
}

/// `22 Nov 2026 02:59:41.171` for now, UTC.
fn timestamp() -> String {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (y, m, day) = civil_from_days((secs / 86_400) as i64);
    let t = secs % 86_400;
    format!(
        "{:02} {} {} {:02}:{:02}:{:02}.{:03}",
        day,
        MONTHS[(m as usize).saturating_sub(1) % 12],
        y,
        t / 3600,
        t / 60 % 60,
        t % 60,
        d.subsec_millis()
    )
}

/// Days since 1970-01-01 to (year, month 1..=12, day 1..=31), proleptic
/// Gregorian (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_779), (2026, 11, 22));
    }
}
