//! The slow log and the latency monitor (Redis's slowlog.c and latency.c):
//! what SLOWLOG and LATENCY report. Durations come from the engine's clock,
//! so tests choose them.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;

/// Arguments an entry keeps; the last one kept says how many more there
/// were (Redis's `SLOWLOG_ENTRY_MAX_ARGC`).
const MAX_ARGC: usize = 32;
/// Bytes an argument keeps; the rest is summarised (Redis's
/// `SLOWLOG_ENTRY_MAX_STRING`).
const MAX_STRING: usize = 128;

/// One slow log entry.
#[derive(Debug, Clone)]
pub struct SlowEntry {
    /// Unique, increasing from 0 (RESET does not restart it).
    pub id: u64,
    /// Unix time (s) the command finished.
    pub time: u64,
    /// Execution time in microseconds.
    pub duration: u64,
    /// The arguments, shortened as Redis shortens them.
    pub argv: Vec<Box<[u8]>>,
    /// The client's `ip:port` (`?:0` for scripts and in-process callers).
    pub peer: Box<[u8]>,
    /// The client's name, empty if none.
    pub name: Box<[u8]>,
}

/// The slow log: newest entry first.
#[derive(Debug, Clone, Default)]
pub struct SlowLog {
    entries: VecDeque<SlowEntry>,
    next_id: u64,
}

impl SlowLog {
    /// Logs a command that ran `duration` µs if that is at least
    /// `threshold` (negative: the log is off), then trims the log to
    /// `max_len` entries (Redis's `slowlogPushEntryIfNeeded`, which trims
    /// even when it logs nothing).
    #[allow(clippy::too_many_arguments)]
    pub fn push(&mut self, threshold: i64, max_len: u64, argv: &[&[u8]], duration: u64, now_ms: u64, peer: &[u8], name: &[u8]) {
        if threshold < 0 {
            return;
        }
        if i128::from(duration) >= i128::from(threshold) {
            let kept = argv.len().min(MAX_ARGC);
            let mut args = Vec::with_capacity(kept);
            for (j, a) in argv.iter().take(kept).enumerate() {
                if kept != argv.len() && j == kept - 1 {
                    args.push(alloc::format!("... ({} more arguments)", argv.len() - kept + 1).into_bytes().into_boxed_slice());
                } else if a.len() > MAX_STRING {
                    let mut s = a[..MAX_STRING].to_vec();
                    s.extend_from_slice(alloc::format!("... ({} more bytes)", a.len() - MAX_STRING).as_bytes());
                    args.push(s.into_boxed_slice());
                } else {
                    args.push(Box::from(*a));
                }
            }
            self.entries.push_front(SlowEntry { id: self.next_id, time: now_ms / 1000, duration, argv: args, peer: Box::from(peer), name: Box::from(name) });
            self.next_id += 1;
        }
        self.trim(max_len);
    }

    /// Drops the oldest entries beyond `max_len`.
    pub fn trim(&mut self, max_len: u64) {
        while self.entries.len() as u64 > max_len {
            self.entries.pop_back();
        }
    }

    /// The entries, newest first.
    pub fn entries(&self) -> impl Iterator<Item = &SlowEntry> {
        self.entries.iter()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Empties the log (ids keep counting).
    pub fn reset(&mut self) {
        self.entries.clear();
    }
}

/// Samples a latency event keeps, one per second (Redis's `LATENCY_TS_LEN`).
pub const SAMPLES: usize = 160;

/// One latency sample: Unix time (s) and latency (ms).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sample {
    /// Unix time in seconds; 0 marks an unused slot.
    pub time: u64,
    /// Latency in milliseconds (the highest seen in that second).
    pub latency: u64,
}

/// The time series of one event: a ring of [`SAMPLES`] samples.
#[derive(Debug, Clone)]
pub struct Series {
    /// Next slot to write.
    idx: usize,
    /// Highest latency ever recorded.
    pub max: u64,
    samples: [Sample; SAMPLES],
}

impl Series {
    /// The latest sample.
    pub fn latest(&self) -> Sample {
        self.samples[(self.idx + SAMPLES - 1) % SAMPLES]
    }

    /// The used samples, oldest first.
    pub fn samples(&self) -> impl Iterator<Item = Sample> + '_ {
        (0..SAMPLES).map(move |j| self.samples[(self.idx + j) % SAMPLES]).filter(|s| s.time != 0)
    }
}

/// The latency monitor: a time series per event name, kept in name order
/// (Redis walks a dict, in no defined order).
#[derive(Debug, Clone, Default)]
pub struct Latency {
    events: Vec<(String, Box<Series>)>,
}

impl Latency {
    /// Records `latency` ms for `event` at `now_ms` if monitoring is on
    /// (`threshold` > 0) and it reaches `threshold` (Redis's
    /// `latencyAddSampleIfNeeded`). Samples in one second merge, keeping
    /// the highest.
    pub fn add_if_needed(&mut self, threshold: u64, event: &str, latency: u64, now_ms: u64) {
        if threshold == 0 || latency < threshold {
            return;
        }
        let now = now_ms / 1000;
        let i = match self.events.binary_search_by(|(n, _)| n.as_str().cmp(event)) {
            Ok(i) => i,
            Err(i) => {
                self.events.insert(i, (String::from(event), Box::new(Series { idx: 0, max: 0, samples: [Sample::default(); SAMPLES] })));
                i
            }
        };
        let ts = &mut self.events[i].1;
        ts.max = ts.max.max(latency);
        let prev = (ts.idx + SAMPLES - 1) % SAMPLES;
        if ts.samples[prev].time == now {
            ts.samples[prev].latency = ts.samples[prev].latency.max(latency);
            return;
        }
        ts.samples[ts.idx] = Sample { time: now, latency };
        ts.idx = (ts.idx + 1) % SAMPLES;
    }

    /// The events with their series, in name order.
    pub fn events(&self) -> impl Iterator<Item = (&str, &Series)> {
        self.events.iter().map(|(n, s)| (n.as_str(), &**s))
    }

    /// The series of `event` (exact name).
    pub fn get(&self, event: &[u8]) -> Option<(&str, &Series)> {
        self.events.iter().find(|(n, _)| n.as_bytes() == event).map(|(n, s)| (n.as_str(), &**s))
    }

    /// Forgets `event` (any case), or every event when `None`; returns how
    /// many were forgotten.
    pub fn reset(&mut self, event: Option<&[u8]>) -> usize {
        let before = self.events.len();
        match event {
            None => self.events.clear(),
            Some(e) => self.events.retain(|(n, _)| !n.as_bytes().eq_ignore_ascii_case(e)),
        }
        before - self.events.len()
    }
}

/// LATENCY GRAPH's text for `event` (Redis's `latencyCommandGenSparkeline`
/// and sparkline.c with 80 columns, 4 rows, filled): a header, a rule, and
/// a sparkline with each sample labelled by how long ago it was taken.
pub fn graph(event: &str, ts: &Series, now_ms: u64) -> String {
    let now = (now_ms / 1000) as i64;
    let mut values: Vec<f64> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    let (mut min, mut max) = (0u64, 0u64);
    for s in ts.samples() {
        if values.is_empty() {
            min = s.latency;
            max = s.latency;
        } else {
            max = max.max(s.latency);
            min = min.min(s.latency);
        }
        let elapsed = now - s.time as i64;
        let label = if elapsed < 60 {
            alloc::format!("{}s", elapsed)
        } else if elapsed < 3600 {
            alloc::format!("{}m", elapsed / 60)
        } else if elapsed < 3600 * 24 {
            alloc::format!("{}h", elapsed / 3600)
        } else {
            alloc::format!("{}d", elapsed / (3600 * 24))
        };
        values.push(s.latency as f64);
        labels.push(label);
    }
    let mut out = alloc::format!("{} - high {} ms, low {} ms (all time high {} ms)\n", event, max, min, ts.max);
    out.push_str(&"-".repeat(GRAPH_COLS));
    out.push('\n');
    sparkline(&mut out, &values, &labels, GRAPH_COLS, 4);
    out
}

/// LATENCY GRAPH's width.
const GRAPH_COLS: usize = 80;

/// sparkline.c's `sparklineRender` with `SPARKLINE_FILL`: `values` drawn in
/// `rows` rows of `_o#` (and `|` below the top), `columns` samples per
/// block, each label written downwards under its sample.
fn sparkline(out: &mut String, values: &[f64], labels: &[String], columns: usize, rows: usize) {
    const FILL: &[u8; 3] = b"_o#";
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for (i, &v) in values.iter().enumerate() {
        if i == 0 {
            lo = v;
            hi = v;
        } else if v < lo {
            lo = v;
        } else if v > hi {
            hi = v;
        }
    }
    let has_labels = labels.iter().any(|l| !l.is_empty());
    let mut relmax = hi - lo;
    if relmax == 0.0 {
        relmax = 1.0;
    }
    let steps = (FILL.len() * rows) as i64;
    let mut first = true;
    for start in (0..values.len()).step_by(columns.max(1)) {
        let len = (values.len() - start).min(columns);
        if !first {
            out.push('\n');
        }
        first = false;
        let mut row = 0usize;
        loop {
            let mut more = false;
            let mut chars = alloc::vec![b' '; len];
            for j in 0..len {
                let relval = values[start + j] - lo;
                // C: `(int)(relval*steps)/relmax`, then truncated to int.
                let step = (((relval * steps as f64) as i64) as f64 / relmax) as i64;
                let step = step.clamp(0, steps - 1);
                if row < rows {
                    let charidx = step - ((rows - row - 1) * FILL.len()) as i64;
                    more = true;
                    if (0..FILL.len() as i64).contains(&charidx) {
                        chars[j] = FILL[charidx as usize];
                    } else if charidx >= FILL.len() as i64 {
                        chars[j] = b'|';
                    }
                } else {
                    // One blank row between the graph and the labels.
                    if has_labels && row - rows < 1 {
                        more = true;
                        break;
                    }
                    let label = labels[start + j].as_bytes();
                    let at = row - rows - 1;
                    if label.len() > at {
                        more = true;
                        chars[j] = label[at];
                    }
                }
            }
            if !more {
                break;
            }
            row += 1;
            out.push_str(core::str::from_utf8(&chars).unwrap_or(""));
            out.push('\n');
        }
    }
}

/// What Redis logs in place of a secret argument.
pub const REDACTED: &[u8] = b"(redacted)";

/// The arguments of a command that the slow log (and any other log of
/// commands) shows as [`REDACTED`], as Redis 7.0's commands redact them
/// while they parse: AUTH's password (and user), HELLO's AUTH pair(s) up to
/// the first bad option, every ACL SETUSER rule, and CONFIG SET values of
/// `requirepass`, `masterauth` and `masteruser`.
pub fn redacted_positions(full_name: &str, argv: &[&[u8]]) -> Vec<usize> {
    let kw = |a: &[u8], k: &str| a.eq_ignore_ascii_case(k.as_bytes());
    let argc = argv.len();
    let mut out = Vec::new();
    match full_name {
        "auth" if argc <= 3 => {
            out.push(1);
            if argc == 3 {
                out.push(2);
            }
        }
        "hello" => {
            let mut j = 2;
            while j < argc {
                let more = argc - 1 - j;
                if kw(argv[j], "auth") && more >= 2 {
                    out.extend([j + 1, j + 2]);
                    j += 2;
                } else if kw(argv[j], "setname") && more >= 1 {
                    j += 1;
                } else {
                    break;
                }
                j += 1;
            }
        }
        "acl|setuser" if argc >= 3 => out.extend(2..argc),
        "config|set" if argc >= 4 && argc.is_multiple_of(2) => {
            for j in (2..argc).step_by(2) {
                if ["requirepass", "masterauth", "masteruser"].iter().any(|p| kw(argv[j], p)) {
                    out.push(j + 1);
                }
            }
        }
        _ => {}
    }
    out
}

/// A command's latency histogram (LATENCY HISTOGRAM, INFO latencystats):
/// Redis's HdrHistogram configuration, values in nanoseconds from 1 to
/// 1,000,000,000 with 2 significant digits (256 sub-buckets, 23 buckets),
/// so bucket boundaries, percentiles and the log iteration give Redis's
/// numbers for the same samples.
///
/// Counts are kept sparse, `(index, count)` sorted by index: a command
/// fills a few dozen of the 3,072 slots, so a histogram costs bytes, not
/// the 24 KiB a dense one would (a wasm memory never shrinks).
#[derive(Debug, Clone, Default)]
pub struct Histogram {
    counts: Vec<(u16, u64)>,
    total: u64,
}

/// `sub_bucket_half_count_magnitude` of 2 significant digits.
const HALF_MAG: u32 = 7;
const HALF_COUNT: i64 = 1 << HALF_MAG;
const SUB_COUNT: i64 = 2 * HALF_COUNT;
const SUB_MASK: i64 = SUB_COUNT - 1;
/// (bucket_count 23 + 1) × sub_bucket_half_count.
const COUNTS_LEN: usize = 24 * HALF_COUNT as usize;
/// Redis's LATENCY_HISTOGRAM_MIN_VALUE / MAX_VALUE (ns).
const MIN_NS: i64 = 1;
const MAX_NS: i64 = 1_000_000_000;

fn bucket_index(v: i64) -> i64 {
    (64 - (v | SUB_MASK).leading_zeros() as i64) - (HALF_MAG as i64 + 1)
}

fn sub_bucket_index(v: i64, bucket: i64) -> i64 {
    v >> bucket
}

fn value_at_index(index: i64) -> i64 {
    let mut bucket = (index >> HALF_MAG) - 1;
    let mut sub = (index & (HALF_COUNT - 1)) + HALF_COUNT;
    if bucket < 0 {
        sub -= HALF_COUNT;
        bucket = 0;
    }
    sub << bucket
}

fn lowest_equivalent(v: i64) -> i64 {
    let b = bucket_index(v);
    sub_bucket_index(v, b) << b
}

fn highest_equivalent(v: i64) -> i64 {
    let b = bucket_index(v);
    let s = sub_bucket_index(v, b);
    let adjusted = if s >= SUB_COUNT { b + 1 } else { b };
    (s << b) + (1i64 << adjusted) - 1
}

impl Histogram {
    /// Records one duration of `ns` nanoseconds (clamped to 1 ns..1 s, as
    /// Redis's updateCommandLatencyHistogram).
    pub fn record(&mut self, ns: u64) {
        let v = (ns.min(MAX_NS as u64) as i64).max(MIN_NS);
        let b = bucket_index(v);
        let s = sub_bucket_index(v, b);
        let idx = (((b + 1) << HALF_MAG) + (s - HALF_COUNT)) as usize;
        if idx >= COUNTS_LEN {
            return;
        }
        let idx = idx as u16;
        match self.counts.binary_search_by_key(&idx, |&(i, _)| i) {
            Ok(p) => self.counts[p].1 += 1,
            Err(p) => self.counts.insert(p, (idx, 1)),
        }
        self.total += 1;
    }

    /// The count at index `idx`.
    fn count_at(&self, idx: i64) -> u64 {
        u16::try_from(idx).ok().and_then(|i| self.counts.binary_search_by_key(&i, |&(j, _)| j).ok()).map_or(0, |p| self.counts[p].1)
    }

    /// Samples recorded.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The value (ns) at `percentile` (hdr_value_at_percentile).
    pub fn value_at_percentile(&self, percentile: f64) -> i64 {
        let p = if percentile < 100.0 { percentile } else { 100.0 };
        let want = (((p / 100.0) * self.total as f64) + 0.5) as i64;
        let want = want.max(1);
        let mut seen = 0i64;
        let mut v = 0;
        for &(i, c) in &self.counts {
            seen += c as i64;
            if seen >= want {
                v = value_at_index(i64::from(i));
                break;
            }
        }
        if percentile == 0.0 {
            lowest_equivalent(v)
        } else {
            highest_equivalent(v)
        }
    }

    /// LATENCY HISTOGRAM's buckets: `(microseconds, cumulative count)` at
    /// each power of two from 1024 ns where the count grew, as Redis's
    /// fillCommandCDF walks hdr_iter_log_init(1024, 2).
    pub fn cdf(&self) -> Vec<(i64, u64)> {
        let mut out = Vec::new();
        let (mut level, mut level_low) = (1024i64, lowest_equivalent(1024));
        let (mut idx, mut value, mut highest, mut cumulative, mut prev) = (-1i64, 0i64, 0i64, 0u64, 0u64);
        let len = COUNTS_LEN as i64;
        loop {
            // log_iter_next
            let more = cumulative < self.total || (idx < len && value_at_index(idx + 1) > level_low);
            if !more {
                break;
            }
            loop {
                if value >= level_low {
                    level *= 2;
                    level_low = lowest_equivalent(level);
                    break;
                }
                idx += 1;
                if idx >= len {
                    break;
                }
                cumulative += self.count_at(idx);
                value = value_at_index(idx);
                let b = bucket_index(value);
                let s = sub_bucket_index(value, b);
                let adjusted = if s >= SUB_COUNT { b + 1 } else { b };
                highest = (s << b) + (1i64 << adjusted) - 1;
            }
            if cumulative > prev {
                out.push((highest / 1000, cumulative));
            }
            prev = cumulative;
            if idx >= len {
                break;
            }
        }
        out
    }
}

#[cfg(test)]
mod hist_tests {
    use super::*;

    #[test]
    fn buckets_follow_hdr_histogram() {
        // 2 significant digits: values below 256 are exact; above, ranges
        // double per bucket.
        assert_eq!(highest_equivalent(100), 100);
        assert_eq!(lowest_equivalent(1000), 1000);
        assert_eq!(highest_equivalent(1000), 1003);
        assert_eq!(highest_equivalent(1_000_000), 1_003_519);
        let mut h = Histogram::default();
        for ns in [1_000u64, 2_000, 2_000, 50_000] {
            h.record(ns);
        }
        assert_eq!(h.total(), 4);
        assert_eq!(h.value_at_percentile(50.0), 2_007);
        assert_eq!(h.value_at_percentile(100.0), 50_175);
        assert_eq!(h.cdf(), [(1, 1), (2, 3), (66, 4)]);
    }
}
