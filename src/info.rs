//! INFO and memory accounting.
//!
//! INFO's text is built here, section by section, in Redis 7.0.15's order and
//! format (`# Section\r\nfield:value\r\n`, sections separated by a blank
//! line). Fields Redis derives from the operating system (CPU time, RSS,
//! allocator statistics) come from the host's [`crate::config::HostInfo`] or
//! are reported as zero; everything the engine knows is real.
//!
//! Memory is accounted deterministically, with no allocator statistics (the
//! core has none), as running counters: each db keeps the sum of its
//! entries' weights ([`crate::keyspace::entry_weight`]: key bytes off-line
//! plus the value's representation, O(1) from the containers' own size
//! counters) and its tables' capacities, so `used_memory` costs O(databases)
//! and never walks keys. [`BASELINE`] stands for the engine's fixed
//! structures. The same figures back INFO memory, MEMORY USAGE, MEMORY STATS
//! and the `maxmemory` check.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use crate::engine::Engine;
use crate::keyspace::{lru_clock, Entry};

/// Bytes charged per key besides its name and value: its slot in the db's
/// dict (the entry itself) and its share of the hash index.
pub const KEY_OVERHEAD: u64 = (core::mem::size_of::<Option<Entry>>() + 6) as u64;
/// Bytes charged per key with a TTL (its position in the volatile index).
pub const EXPIRE_OVERHEAD: u64 = 4;
/// Fixed part of `used_memory`: the engine's own structures (command table,
/// configuration, statistics), whatever the dataset.
pub const BASELINE: u64 = 64 * 1024;

/// Redis's version string.
pub const REDIS_VERSION: &str = "7.0.15";

/// The deterministic memory cost of one key: overhead, name and value (the
/// MEMORY USAGE figure; TTL bookkeeping is not included, as in Redis).
pub fn key_usage(e: &Entry) -> u64 {
    KEY_OVERHEAD + crate::keyspace::entry_weight(e)
}

/// Memory figures of the whole engine.
#[derive(Debug, Clone, Copy, Default)]
pub struct MemoryStats {
    /// Everything: keys, values and their bookkeeping.
    pub used: u64,
    /// Bookkeeping part of `used` (per-key and per-TTL overheads).
    pub overhead: u64,
    /// Key names and values.
    pub dataset: u64,
    /// Number of keys.
    pub keys: u64,
}

/// `bytesToHuman`: `123B`, `1.50K`, `2.00M`, ...
pub fn bytes_to_human(n: u64) -> String {
    const K: f64 = 1024.0;
    let d = n as f64;
    if n < 1024 {
        format!("{}B", n)
    } else if n < 1024 * 1024 {
        format!("{:.2}K", d / K)
    } else if n < 1024 * 1024 * 1024 {
        format!("{:.2}M", d / (K * K))
    } else if n < 1024u64.pow(4) {
        format!("{:.2}G", d / (K * K * K))
    } else if n < 1024u64.pow(5) {
        format!("{:.2}T", d / (K * K * K * K))
    } else if n < 1024u64.pow(6) {
        format!("{:.2}P", d / (K * K * K * K * K))
    } else {
        format!("{}B", n)
    }
}

/// A 40-hex-digit id derived from `seed` (run ids, replication ids).
fn hex_id(seed: u64) -> String {
    let mut x = seed ^ 0x9e37_79b9_7f4a_7c15;
    let mut s = String::with_capacity(40);
    while s.len() < 40 {
        // splitmix64
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        let _ = write!(s, "{:016x}", z);
    }
    s.truncate(40);
    s
}

/// Every INFO section in output order, and whether `INFO` / `INFO default`
/// includes it.
const SECTIONS: &[(&str, bool)] = &[
    ("server", true),
    ("clients", true),
    ("memory", true),
    ("persistence", true),
    ("stats", true),
    ("replication", true),
    ("cpu", true),
    ("modules", true),
    ("commandstats", false),
    ("errorstats", true),
    ("latencystats", false),
    ("cluster", true),
    ("keyspace", true),
];

impl Engine {
    /// Deterministic memory figures (see the module docs). O(databases):
    /// the dbs keep running totals.
    pub fn memory_stats(&self) -> MemoryStats {
        let mut m = MemoryStats { overhead: BASELINE, ..MemoryStats::default() };
        for db in &self.dbs {
            m.overhead += db.overhead();
            m.dataset += db.used();
            m.keys += db.len() as u64;
        }
        m.used = m.overhead + m.dataset;
        m
    }

    /// Memory in use, bytes (INFO `used_memory`; what `maxmemory` limits).
    /// O(databases).
    pub fn used_memory(&self) -> u64 {
        self.dbs.iter().fold(BASELINE, |acc, db| acc + db.used() + db.overhead())
    }

    /// MEMORY USAGE of `key` in `db`: its deterministic size, or `None`
    /// when absent. Touches nothing but lazy expiry.
    pub fn memory_usage(&mut self, db: usize, key: &[u8]) -> Option<u64> {
        let now = self.now_ms();
        let d = self.dbs.get_mut(db)?;
        let u = d.peek(key, now).map(|e| key_usage(e));
        d.settle();
        u
    }

    /// The INFO text for `sections` (as INFO's arguments: section names,
    /// `all`, `everything`, `default`; empty = default sections).
    pub fn info(&self, sections: &[&[u8]]) -> String {
        self.info_at(sections, self.clock.now_micros())
    }

    /// [`Engine::info`] at the instant `now_us`.
    pub(crate) fn info_at(&self, args: &[&[u8]], now_us: u64) -> String {
        let mut all = false;
        let mut wanted: Vec<String> = Vec::new();
        let add = |w: &mut Vec<String>, s: &str| {
            if !w.iter().any(|x| x == s) {
                w.push(String::from(s));
            }
        };
        if args.is_empty() {
            for (s, d) in SECTIONS {
                if *d {
                    add(&mut wanted, s);
                }
            }
        }
        for a in args {
            if a.eq_ignore_ascii_case(b"default") {
                for (s, d) in SECTIONS {
                    if *d {
                        add(&mut wanted, s);
                    }
                }
            } else if a.eq_ignore_ascii_case(b"all") {
                all = true;
            } else if a.eq_ignore_ascii_case(b"everything") {
                // No module sections exist, so "everything" is "all".
                all = true;
            } else {
                let s = String::from_utf8_lossy(a).to_ascii_lowercase();
                // "module_list" is an alias of the modules section.
                let s = if s == "module_list" { String::from("modules") } else { s };
                add(&mut wanted, &s);
            }
        }
        let mut out = String::new();
        for (name, _) in SECTIONS {
            if !(all || wanted.iter().any(|w| w == name)) {
                continue;
            }
            if !out.is_empty() {
                out.push_str("\r\n");
            }
            self.info_section(&mut out, name, now_us);
        }
        out
    }

    fn info_section(&self, o: &mut String, name: &str, now_us: u64) {
        let now = now_us / 1000;
        let cfg = &self.config;
        let h = &self.host;
        macro_rules! line {
            ($($t:tt)*) => {
                put_line(o, format_args!($($t)*))
            };
        }
        match name {
            "server" => {
                let uptime = (now / 1000).saturating_sub(self.start_ms / 1000);
                let run_id = if h.run_id.is_empty() { hex_id(self.start_ms) } else { h.run_id.clone() };
                o.push_str("# Server\r\n");
                line!("redis_version:{}", REDIS_VERSION);
                line!("redis_git_sha1:00000000");
                line!("redis_git_dirty:0");
                line!("redis_build_id:0");
                line!("redis_mode:standalone");
                line!("os:{}", h.os);
                line!("arch_bits:{}", h.arch_bits);
                line!("monotonic_clock:POSIX clock_gettime");
                line!("multiplexing_api:{}", h.multiplexing_api);
                line!("atomicvar_api:c11-builtin");
                line!("gcc_version:0.0.0");
                line!("process_id:{}", h.process_id);
                line!("process_supervised:{}", h.supervised);
                line!("run_id:{}", run_id);
                line!("tcp_port:{}", h.tcp_port);
                line!("server_time_usec:{}", now_us);
                line!("uptime_in_seconds:{}", uptime);
                line!("uptime_in_days:{}", uptime / (3600 * 24));
                line!("hz:{}", cfg.hz);
                line!("configured_hz:{}", cfg.hz);
                line!("lru_clock:{}", lru_clock(now));
                line!("executable:{}", h.executable);
                line!("config_file:{}", h.config_file);
                line!("io_threads_active:0");
            }
            "clients" => {
                o.push_str("# Clients\r\n");
                line!("connected_clients:{}", self.connected_clients());
                line!("cluster_connections:0");
                line!("maxclients:{}", cfg.maxclients);
                line!("client_recent_max_input_buffer:0");
                line!("client_recent_max_output_buffer:{}", self.clients.values().map(|c| c.obuf_bytes).max().unwrap_or(0));
                line!("blocked_clients:{}", self.blocked_clients());
                line!("tracking_clients:{}", self.tracking.stats().0);
                line!("clients_in_timeout_table:{}", self.clients.values().filter(|c| c.blocked.as_ref().is_some_and(|b| b.deadline_ms.is_some())).count());
            }
            "memory" => {
                let m = self.memory_stats();
                let rss = if h.rss_bytes > 0 { h.rss_bytes } else { m.used };
                let pct = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 * 100.0 / b as f64 };
                o.push_str("# Memory\r\n");
                line!("used_memory:{}", m.used);
                line!("used_memory_human:{}", bytes_to_human(m.used));
                line!("used_memory_rss:{}", rss);
                line!("used_memory_rss_human:{}", bytes_to_human(rss));
                line!("used_memory_peak:{}", m.used);
                line!("used_memory_peak_human:{}", bytes_to_human(m.used));
                // The peak is not tracked: the current figure is the peak.
                line!("used_memory_peak_perc:100.00%");
                line!("used_memory_overhead:{}", m.overhead);
                line!("used_memory_startup:{}", BASELINE);
                line!("used_memory_dataset:{}", m.dataset);
                line!("used_memory_dataset_perc:{:.2}%", pct(m.dataset, m.used));
                line!("allocator_allocated:{}", m.used);
                line!("allocator_active:{}", m.used);
                line!("allocator_resident:{}", rss);
                line!("total_system_memory:{}", h.total_system_memory);
                line!("total_system_memory_human:{}", bytes_to_human(h.total_system_memory));
                line!("used_memory_lua:0");
                line!("used_memory_vm_eval:0");
                line!("used_memory_lua_human:0B");
                let (scripts_mem, scripts, functions, libraries) = self.script_counts();
                line!("used_memory_scripts_eval:{}", scripts_mem);
                line!("number_of_cached_scripts:{}", scripts);
                line!("number_of_functions:{}", functions);
                line!("number_of_libraries:{}", libraries);
                line!("used_memory_vm_functions:0");
                line!("used_memory_vm_total:0");
                line!("used_memory_vm_total_human:0B");
                line!("used_memory_functions:0");
                line!("used_memory_scripts:0");
                line!("used_memory_scripts_human:0B");
                line!("maxmemory:{}", cfg.maxmemory);
                line!("maxmemory_human:{}", bytes_to_human(cfg.maxmemory));
                line!("maxmemory_policy:{}", cfg.maxmemory_policy.name());
                line!("allocator_frag_ratio:1.00");
                line!("allocator_frag_bytes:0");
                line!("allocator_rss_ratio:1.00");
                line!("allocator_rss_bytes:0");
                line!("rss_overhead_ratio:1.00");
                line!("rss_overhead_bytes:0");
                let frag = if m.used == 0 { 1.0 } else { rss as f64 / m.used as f64 };
                line!("mem_fragmentation_ratio:{:.2}", frag);
                line!("mem_fragmentation_bytes:{}", rss as i64 - m.used as i64);
                line!("mem_not_counted_for_evict:0");
                line!("mem_replication_backlog:0");
                line!("mem_total_replication_buffers:0");
                line!("mem_clients_slaves:0");
                line!("mem_clients_normal:0");
                line!("mem_cluster_links:0");
                line!("mem_aof_buffer:0");
                line!("mem_allocator:redlet");
                line!("active_defrag_running:0");
                line!("lazyfree_pending_objects:0");
                line!("lazyfreed_objects:0");
            }
            "persistence" => {
                o.push_str("# Persistence\r\n");
                line!("loading:0");
                line!("async_loading:0");
                line!("current_cow_peak:0");
                line!("current_cow_size:0");
                line!("current_cow_size_age:0");
                line!("current_fork_perc:0.00");
                let bg = self.bgsave_progress();
                let (done, total, started) = bg.unwrap_or((0, 0, 0));
                line!("current_save_keys_processed:{}", done);
                line!("current_save_keys_total:{}", total);
                line!("rdb_changes_since_last_save:{}", self.dirty);
                line!("rdb_bgsave_in_progress:{}", bg.is_some() as u8);
                line!("rdb_last_save_time:{}", self.persist.last_save_ms / 1000);
                line!("rdb_last_bgsave_status:{}", if self.persist.last_save_ok { "ok" } else { "err" });
                line!("rdb_last_bgsave_time_sec:{}", self.persist.last_save_secs);
                match bg {
                    Some(_) => line!("rdb_current_bgsave_time_sec:{}", (self.now_ms().saturating_sub(started) / 1000) as i64),
                    None => line!("rdb_current_bgsave_time_sec:-1"),
                }
                line!("rdb_saves:{}", self.persist.saves);
                line!("rdb_last_cow_size:0");
                line!("rdb_last_load_keys_expired:{}", self.persist.load_expired);
                line!("rdb_last_load_keys_loaded:{}", self.persist.load_keys);
                line!("aof_enabled:{}", self.persist.appendonly as u8);
                line!("aof_rewrite_in_progress:0");
                line!("aof_rewrite_scheduled:0");
                line!("aof_last_rewrite_time_sec:-1");
                line!("aof_current_rewrite_time_sec:-1");
                line!("aof_last_bgrewrite_status:ok");
                line!("aof_rewrites:0");
                line!("aof_rewrites_consecutive_failures:0");
                line!("aof_last_write_status:{}", if self.persist.journal_error.is_none() { "ok" } else { "err" });
                line!("aof_last_cow_size:0");
                line!("module_fork_in_progress:0");
                line!("module_fork_last_cow_size:0");
            }
            "stats" => {
                let s = &self.stats;
                let (mut expired, mut hits, mut misses) = (0u64, 0u64, 0u64);
                for db in &self.dbs {
                    expired += db.stats.expired_keys;
                    hits += db.stats.hits;
                    misses += db.stats.misses;
                }
                o.push_str("# Stats\r\n");
                line!("total_connections_received:{}", s.total_connections_received);
                line!("total_commands_processed:{}", s.total_commands_processed);
                line!("instantaneous_ops_per_sec:0");
                line!("total_net_input_bytes:0");
                line!("total_net_output_bytes:0");
                line!("total_net_repl_input_bytes:0");
                line!("total_net_repl_output_bytes:0");
                line!("instantaneous_input_kbps:0.00");
                line!("instantaneous_output_kbps:0.00");
                line!("instantaneous_input_repl_kbps:0.00");
                line!("instantaneous_output_repl_kbps:0.00");
                line!("rejected_connections:{}", s.rejected_connections);
                line!("sync_full:0");
                line!("sync_partial_ok:0");
                line!("sync_partial_err:0");
                line!("expired_keys:{}", expired);
                line!("expired_stale_perc:0.00");
                line!("expired_time_cap_reached_count:0");
                line!("expire_cycle_cpu_milliseconds:0");
                line!("evicted_keys:{}", s.evicted_keys);
                line!("evicted_clients:0");
                line!("total_eviction_exceeded_time:0");
                line!("current_eviction_exceeded_time:0");
                line!("keyspace_hits:{}", hits);
                line!("keyspace_misses:{}", misses);
                line!("pubsub_channels:{}", self.pubsub.len(crate::pubsub::Kind::Channel));
                line!("pubsub_patterns:{}", self.pubsub.len(crate::pubsub::Kind::Pattern));
                line!("pubsubshard_channels:{}", self.pubsub.len(crate::pubsub::Kind::Shard));
                line!("latest_fork_usec:0");
                line!("total_forks:0");
                line!("migrate_cached_sockets:0");
                line!("slave_expires_tracked_keys:0");
                line!("active_defrag_hits:0");
                line!("active_defrag_misses:0");
                line!("active_defrag_key_hits:0");
                line!("active_defrag_key_misses:0");
                line!("total_active_defrag_time:0");
                line!("current_active_defrag_time:0");
                let (_, keys, items, prefixes) = self.tracking.stats();
                line!("tracking_total_keys:{}", keys);
                line!("tracking_total_items:{}", items);
                line!("tracking_total_prefixes:{}", prefixes);
                line!("unexpected_error_replies:{}", s.unexpected_error_replies);
                line!("total_error_replies:{}", s.total_error_replies);
                line!("dump_payload_sanitizations:0");
                line!("total_reads_processed:{}", s.total_commands_processed);
                line!("total_writes_processed:{}", s.total_commands_processed);
                line!("io_threaded_reads_processed:0");
                line!("io_threaded_writes_processed:0");
                line!("reply_buffer_shrinks:0");
                line!("reply_buffer_expands:0");
            }
            "replication" => {
                o.push_str("# Replication\r\n");
                line!("role:master");
                line!("connected_slaves:0");
                line!("master_failover_state:no-failover");
                line!("master_replid:{}", hex_id(self.start_ms.wrapping_add(1)));
                line!("master_replid2:0000000000000000000000000000000000000000");
                line!("master_repl_offset:0");
                line!("second_repl_offset:-1");
                line!("repl_backlog_active:0");
                line!("repl_backlog_size:{}", cfg.get_param("repl-backlog-size").unwrap_or_default());
                line!("repl_backlog_first_byte_offset:0");
                line!("repl_backlog_histlen:0");
            }
            "cpu" => {
                let (sys, user) = h.cpu_secs;
                o.push_str("# CPU\r\n");
                line!("used_cpu_sys:{:.6}", sys);
                line!("used_cpu_user:{:.6}", user);
                line!("used_cpu_sys_children:0.000000");
                line!("used_cpu_user_children:0.000000");
                line!("used_cpu_sys_main_thread:{:.6}", sys);
                line!("used_cpu_user_main_thread:{:.6}", user);
            }
            "modules" => o.push_str("# Modules\r\n"),
            "commandstats" => {
                o.push_str("# Commandstats\r\n");
                for (i, st) in self.cmdstats.iter().enumerate() {
                    if st.calls == 0 && st.failed_calls == 0 && st.rejected_calls == 0 {
                        continue;
                    }
                    // Redis divides in single precision.
                    let per = if st.calls == 0 { 0.0 } else { (st.usec as f32 / st.calls as f32) as f64 };
                    let name = self.table.full_names.get(i).map_or("", |s| s.as_str());
                    line!(
                        "cmdstat_{}:calls={},usec={},usec_per_call={:.2},rejected_calls={},failed_calls={}",
                        safe_info(name),
                        st.calls,
                        st.usec,
                        per,
                        st.rejected_calls,
                        st.failed_calls
                    );
                }
            }
            "errorstats" => {
                o.push_str("# Errorstats\r\n");
                let mut errs: Vec<&(String, u64)> = self.stats.errorstats.iter().collect();
                crate::order::sort_by(&mut errs, |a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                for (code, n) in errs {
                    line!("errorstat_{}:count={}", safe_info(code), n);
                }
            }
            "latencystats" => {
                o.push_str("# Latencystats\r\n");
                // The parameter holds each percentile as Redis prints it
                // (`%f`, trailing zeros trimmed: config.rs's fmt_percentile).
                let param = self.config.get_param("latency-tracking-info-percentiles").unwrap_or_default();
                let pcts: Vec<(&str, f64)> = param.split_ascii_whitespace().filter_map(|w| crate::num::parse_f64(w.as_bytes()).map(|p| (w, p))).collect();
                for (i, h) in self.latency_hist.iter().enumerate() {
                    let Some(h) = h else { continue };
                    let name = self.table.full_names.get(i).map_or("", |s| s.as_str());
                    let mut l = format!("latency_percentiles_usec_{}:", safe_info(name));
                    for (j, &(label, p)) in pcts.iter().enumerate() {
                        let _ = write!(l, "p{}={:.3}", label, h.value_at_percentile(p) as f64 / 1000.0);
                        if j + 1 < pcts.len() {
                            l.push(',');
                        }
                    }
                    line!("{}", l);
                }
            }
            "cluster" => {
                o.push_str("# Cluster\r\n");
                line!("cluster_enabled:0");
            }
            "keyspace" => {
                o.push_str("# Keyspace\r\n");
                for (i, db) in self.dbs.iter().enumerate() {
                    let keys = db.len();
                    let vkeys = db.volatile_len();
                    if keys == 0 && vkeys == 0 {
                        continue;
                    }
                    line!("db{}:keys={},expires={},avg_ttl={}", i, keys, vkeys, avg_ttl(db, now));
                }
            }
            _ => {}
        }
    }

    /// Clients connected from outside (the internal client and clients
    /// being closed are not counted).
    pub fn connected_clients(&self) -> usize {
        self.clients.iter().filter(|(id, c)| **id != crate::engine::SYSTEM_CLIENT && !c.close).count()
    }
}

/// Average remaining TTL in ms of the db's live volatile keys. Redis keeps a
/// running estimate from its expiry cycle; this is the exact figure.
fn avg_ttl(db: &crate::keyspace::Db, now: u64) -> u64 {
    if db.volatile_len() == 0 {
        return 0;
    }
    let (mut sum, mut n) = (0u128, 0u128);
    for e in db.iter() {
        if let Some(at) = e.expire() {
            if at > now {
                sum += (at - now) as u128;
                n += 1;
            }
        }
    }
    sum.checked_div(n).unwrap_or(0) as u64
}

/// Appends one INFO line and its CRLF. Out of line on purpose: the ~200
/// `write!`s of [`Engine::info_section`], each with the formatting and the
/// CRLF push inlined, were 30 KB of the npm package's wasm.
#[inline(never)]
fn put_line(o: &mut String, args: core::fmt::Arguments<'_>) {
    let _ = o.write_fmt(args);
    o.push_str("\r\n");
}

/// INFO field text with Redis's unsafe characters (`#:\r\n`) replaced by `_`.
fn safe_info(s: &str) -> String {
    s.chars().map(|c| if matches!(c, '#' | ':' | '\r' | '\n') { '_' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_bytes() {
        assert_eq!(bytes_to_human(0), "0B");
        assert_eq!(bytes_to_human(1023), "1023B");
        assert_eq!(bytes_to_human(965624), "942.99K");
        assert_eq!(bytes_to_human(7225344), "6.89M");
        assert_eq!(bytes_to_human(25276502016), "23.54G");
    }

    #[test]
    fn ids_are_hex_and_stable() {
        let a = hex_id(7);
        assert_eq!(a.len(), 40);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(a, hex_id(7));
        assert_ne!(a, hex_id(8));
    }
}

impl Engine {
    /// Bytes of cached script bodies, cached scripts, functions and
    /// libraries, for INFO memory.
    fn script_counts(&self) -> (usize, usize, usize, usize) {
        #[cfg(feature = "scripting")]
        {
            (self.scripting.mem, self.scripting.cached(), self.functions.functions(), self.functions.libs.len())
        }
        #[cfg(not(feature = "scripting"))]
        {
            (0, 0, 0, 0)
        }
    }
}
