//! Engine configuration: the parameters Redis exposes through CONFIG GET/SET
//! that the engine honours. Defaults are Redis 7.0's.

use alloc::string::String;
use alloc::vec::Vec;

/// Eviction policy (`maxmemory-policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MaxmemoryPolicy {
    /// Reject writes that need memory.
    #[default]
    NoEviction,
    /// Evict any key, least recently used first.
    AllKeysLru,
    /// Evict any key, least frequently used first.
    AllKeysLfu,
    /// Evict any key at random.
    AllKeysRandom,
    /// Evict keys with a TTL, least recently used first.
    VolatileLru,
    /// Evict keys with a TTL, least frequently used first.
    VolatileLfu,
    /// Evict keys with a TTL at random.
    VolatileRandom,
    /// Evict keys with the nearest expiry first.
    VolatileTtl,
}

impl MaxmemoryPolicy {
    /// Every policy with its Redis name.
    pub const ALL: [(MaxmemoryPolicy, &'static str); 8] = [
        (MaxmemoryPolicy::VolatileLru, "volatile-lru"),
        (MaxmemoryPolicy::VolatileLfu, "volatile-lfu"),
        (MaxmemoryPolicy::VolatileRandom, "volatile-random"),
        (MaxmemoryPolicy::VolatileTtl, "volatile-ttl"),
        (MaxmemoryPolicy::AllKeysLru, "allkeys-lru"),
        (MaxmemoryPolicy::AllKeysLfu, "allkeys-lfu"),
        (MaxmemoryPolicy::AllKeysRandom, "allkeys-random"),
        (MaxmemoryPolicy::NoEviction, "noeviction"),
    ];

    /// The Redis name of this policy.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(p, _)| *p == self).map_or("noeviction", |(_, n)| n)
    }
}

/// Engine configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Number of logical databases (`databases`, fixed at start).
    pub databases: usize,
    /// Active-expiry/cron frequency the host is asked to drive (`hz`).
    pub hz: u32,
    /// Memory limit in bytes, 0 = none (`maxmemory`).
    pub maxmemory: u64,
    /// Eviction policy (`maxmemory-policy`).
    pub maxmemory_policy: MaxmemoryPolicy,
    /// Keys sampled per eviction (`maxmemory-samples`).
    pub maxmemory_samples: u32,
    /// `lfu-log-factor`.
    pub lfu_log_factor: u32,
    /// `lfu-decay-time` (minutes).
    pub lfu_decay_time: u32,
    /// `hash-max-listpack-entries`.
    pub hash_max_listpack_entries: usize,
    /// `hash-max-listpack-value`.
    pub hash_max_listpack_value: usize,
    /// `set-max-intset-entries`.
    pub set_max_intset_entries: usize,
    /// `list-max-listpack-size`.
    pub list_max_listpack_size: i64,
    /// `list-compress-depth`.
    pub list_compress_depth: i64,
    /// `zset-max-listpack-entries`.
    pub zset_max_listpack_entries: usize,
    /// `zset-max-listpack-value`.
    pub zset_max_listpack_value: usize,
    /// `proto-max-bulk-len`: longest string a command may create.
    pub proto_max_bulk_len: u64,
    /// `notify-keyspace-events` as given.
    pub notify_keyspace_events: String,
    /// `timeout`: idle client timeout in seconds, 0 = never.
    pub timeout: u64,
    /// `maxclients`.
    pub maxclients: u64,
    /// Whether the active expiry cycle runs (`DEBUG SET-ACTIVE-EXPIRE`).
    pub active_expire_enabled: bool,
    /// Other parameters accepted and reported verbatim (name, value), for
    /// host-level settings such as `bind`, `port` and `dir`.
    pub extra: Vec<(String, String)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            databases: 16,
            hz: 10,
            maxmemory: 0,
            maxmemory_policy: MaxmemoryPolicy::NoEviction,
            maxmemory_samples: 5,
            lfu_log_factor: 10,
            lfu_decay_time: 1,
            hash_max_listpack_entries: 128,
            hash_max_listpack_value: 64,
            set_max_intset_entries: 512,
            list_max_listpack_size: -2,
            list_compress_depth: 0,
            zset_max_listpack_entries: 128,
            zset_max_listpack_value: 64,
            proto_max_bulk_len: 512 * 1024 * 1024,
            notify_keyspace_events: String::new(),
            timeout: 0,
            maxclients: 10000,
            active_expire_enabled: true,
            extra: Vec::new(),
        }
    }
}

/// Facts about the host process that INFO server reports; the host sets them
/// with [`crate::Engine::set_host_info`]. In-process embedders may leave the
/// defaults.
#[derive(Debug, Clone)]
pub struct HostInfo {
    /// `tcp_port` (0 when not listening).
    pub tcp_port: u16,
    /// `process_id`.
    pub process_id: u32,
    /// `executable`.
    pub executable: String,
    /// `config_file`.
    pub config_file: String,
    /// `os`.
    pub os: String,
    /// `arch_bits`.
    pub arch_bits: u32,
    /// `multiplexing_api`.
    pub multiplexing_api: String,
}

impl Default for HostInfo {
    fn default() -> Self {
        HostInfo {
            tcp_port: 0,
            process_id: 0,
            executable: String::new(),
            config_file: String::new(),
            os: String::from("redlet"),
            arch_bits: (core::mem::size_of::<usize>() * 8) as u32,
            multiplexing_api: String::from("none"),
        }
    }
}
