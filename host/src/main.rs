//! The `redlet` binary: `redlet serve` runs a RESP server (Redis 7.0 wire
//! protocol) over one in-process [`redlet::Engine`].
//!
//! Command line, like `redis-server`: an optional config file, then
//! `--<directive> value...` pairs (every `--name` starts a directive, the
//! arguments up to the next `--name` are its value, joined by spaces). The
//! host keeps `bind`, `port` and `dir`; every directive, those included, also
//! reaches the engine's [`redlet::Config`] (see [`config::apply`]).

/// See host/Cargo.toml for why the server uses mimalloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use redlet_host::{config, log, server};

/// Hands memory mimalloc holds but no longer uses back to the OS (its
/// delayed purges that are due, abandoned pages).
fn purge_allocator() {
    // SAFETY: `mi_collect` takes no pointers and is safe to call from any
    // thread at any time; `true` purges what is free now, not only what
    // has waited out the purge delay.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

use std::process::ExitCode;

const USAGE: &str = "\
Usage: redlet serve [/path/to/redis.conf] [--bind ADDR...] [--port N] [--dir PATH] [--<directive> VALUE...]
       redlet export --dir PATH [--format resp|rdb] [--<directive> VALUE...] [> FILE]
       redlet import --rdb FILE --dir PATH [--<directive> VALUE...]
       redlet --version
       redlet help

Runs a Redis 7.0 compatible server over the redlet engine.

  --bind ADDR...   addresses to listen on (default 127.0.0.1; '-' prefix: optional)
  --port N         TCP port (default 6379; 0 picks a free port, printed at start)
  --dir PATH       data folder, created if missing: the dataset is loaded from
                   and saved to redlet.snapshot / redlet.journal there
  --<name> VALUE   any Redis configuration directive, e.g. --hz 100 --databases 4

`redlet export` writes the dataset saved in PATH (snapshot + journal) to
stdout as RESP commands (`redis-cli --pipe < FILE` loads them into Redis)
or, with --format rdb, as a Redis 7.0 RDB file (redis-server loads it as
its dump.rdb). `redlet import --rdb FILE` loads a Redis RDB file (versions
1 to 10) into PATH, which must not hold a dataset yet.

Examples:
  redlet serve --port 7000
  redlet serve --port 7000 --maxmemory 100mb --maxmemory-policy allkeys-lru
  redlet serve --dir ./data --appendonly yes --appendfsync always
  redlet export --dir ./data --format resp > dump.resp
  redlet export --dir ./data --format rdb > dump.rdb
  redlet import --rdb /var/lib/redis/dump.rdb --dir ./data";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = match args.first().map(String::as_str) {
        None => {
            eprintln!("{USAGE}");
            return ExitCode::from(1);
        }
        Some("--version" | "-v" | "version") => {
            println!("{}", version_line());
            return ExitCode::SUCCESS;
        }
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some("serve") => &args[1..],
        Some("export") => return export(&args[1..]),
        Some("import") => return import(&args[1..]),
        // `redlet --port 7000` behaves like `redis-server --port 7000`.
        Some(a) if a.starts_with("--") => &args[..],
        Some(other) => {
            eprintln!("redlet: unknown command '{other}'\n\n{USAGE}");
            return ExitCode::from(1);
        }
    };
    let settings = match config::from_args(rest) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("\n*** FATAL CONFIG FILE ERROR (redlet {}) ***", env!("CARGO_PKG_VERSION"));
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    server::set_allocator_purge(purge_allocator);
    match server::run(settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log::log('M', log::Level::Warning, &e);
            ExitCode::from(1)
        }
    }
}

/// `--version` output, shaped like `redis-server --version`.
fn version_line() -> String {
    format!(
        "redlet server v={} (Redis 7.0.15 compatible) bits={} os={}",
        env!("CARGO_PKG_VERSION"),
        usize::BITS,
        std::env::consts::OS
    )
}

/// `redlet export --dir PATH [--format resp|rdb] [--<directive> VALUE...]`:
/// loads the dataset in PATH and writes it to stdout as RESP commands or
/// as an RDB file.
fn export(args: &[String]) -> ExitCode {
    let mut format = "resp".to_string();
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--format" {
            match args.get(i + 1) {
                Some(f) => format = f.clone(),
                None => {
                    eprintln!("redlet export: --format needs a value");
                    return ExitCode::from(1);
                }
            }
            i += 2;
        } else {
            rest.push(args[i].clone());
            i += 1;
        }
    }
    if format != "resp" && format != "rdb" {
        eprintln!("redlet export: unknown format '{format}' (supported: resp, rdb)");
        return ExitCode::from(1);
    }
    let settings = match config::from_args(&rest) {
        Ok(s) if s.persist => s,
        Ok(_) => {
            eprintln!("redlet export: --dir PATH is required\n\n{USAGE}");
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("redlet export: {e}");
            return ExitCode::from(1);
        }
    };
    let snapshot = settings.dir.join("redlet.snapshot");
    if !snapshot.exists() && !settings.dir.join("redlet.journal").exists() {
        eprintln!("redlet export: no dataset in {} (no redlet.snapshot or redlet.journal)", settings.dir.display());
        return ExitCode::from(1);
    }
    let mut engine = redlet::Engine::new(redlet::Options {
        config: settings.config,
        clock: Box::new(redlet::clock::SystemClock),
        seed: 0,
    });
    let aclfile = engine.config().get_param("aclfile");
    let storage = match server::storage_for(&settings.dir, aclfile.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("redlet export: {e}");
            return ExitCode::from(1);
        }
    };
    engine.set_storage(storage);
    let t0 = std::time::Instant::now();
    if let Err(e) = engine.load() {
        eprintln!("redlet export: can't load the dataset in {}: {e}", settings.dir.display());
        return ExitCode::from(1);
    }
    let loaded = t0.elapsed();
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, std::io::stdout().lock());
    let mut failed = None;
    let mut sink = |chunk: &[u8]| {
        if failed.is_none() {
            if let Err(e) = out.write_all(chunk) {
                failed = Some(e);
            }
        }
    };
    if format == "rdb" {
        let t1 = std::time::Instant::now();
        let n = engine.export_rdb(&mut sink);
        // Timings on stderr (stdout is the file): for bench/rdb.sh.
        eprintln!("redlet export: {n} bytes of RDB in {} ms (dataset loaded in {} ms)", t1.elapsed().as_millis(), loaded.as_millis());
    } else {
        engine.export_resp(&mut sink);
    }
    if let Some(e) = failed.or_else(|| out.flush().err()) {
        eprintln!("redlet export: writing the output: {e}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// `redlet import --rdb FILE --dir PATH [--<directive> VALUE...]`: loads
/// the Redis RDB file FILE (all of it checked first: a bad file leaves PATH
/// untouched) and saves it as PATH's dataset. PATH must not hold one.
fn import(args: &[String]) -> ExitCode {
    let mut file = None;
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--rdb" {
            match args.get(i + 1) {
                Some(f) => file = Some(std::path::PathBuf::from(f)),
                None => {
                    eprintln!("redlet import: --rdb needs a file");
                    return ExitCode::from(1);
                }
            }
            i += 2;
        } else {
            rest.push(args[i].clone());
            i += 1;
        }
    }
    let Some(file) = file else {
        eprintln!("redlet import: --rdb FILE is required\n\n{USAGE}");
        return ExitCode::from(1);
    };
    let settings = match config::from_args(&rest) {
        Ok(s) if s.persist => s,
        Ok(_) => {
            eprintln!("redlet import: --dir PATH is required\n\n{USAGE}");
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("redlet import: {e}");
            return ExitCode::from(1);
        }
    };
    if settings.dir.join("redlet.snapshot").exists() || settings.dir.join("redlet.journal").exists() {
        eprintln!("redlet import: {} already holds a dataset; import into an empty folder", settings.dir.display());
        return ExitCode::from(1);
    }
    let data = match std::fs::read(&file) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("redlet import: can't read {}: {e}", file.display());
            return ExitCode::from(1);
        }
    };
    let mut engine = redlet::Engine::new(redlet::Options {
        config: settings.config,
        clock: Box::new(redlet::clock::SystemClock),
        seed: 0,
    });
    let t0 = std::time::Instant::now();
    let report = match engine.import_rdb(&data) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("redlet import: {} is not a valid RDB file: {e}", file.display());
            return ExitCode::from(1);
        }
    };
    if let Err(e) = std::fs::create_dir_all(&settings.dir) {
        eprintln!("redlet import: can't create {}: {e}", settings.dir.display());
        return ExitCode::from(1);
    }
    let storage = match server::storage_for(&settings.dir, None) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("redlet import: {e}");
            return ExitCode::from(1);
        }
    };
    let decoded = t0.elapsed();
    engine.set_storage(storage);
    let t1 = std::time::Instant::now();
    if let Err(e) = engine.save() {
        eprintln!("redlet import: saving into {}: {e}", settings.dir.display());
        return ExitCode::from(1);
    }
    let saved = t1.elapsed();
    eprintln!(
        "redlet import: {} keys, {} function libraries from {} (RDB version {}) into {} ({} expired keys dropped, {} empty values skipped); decoded in {} ms, saved in {} ms",
        report.keys,
        report.functions,
        file.display(),
        report.version,
        settings.dir.display(),
        report.expired,
        report.empty,
        decoded.as_millis(),
        saved.as_millis()
    );
    ExitCode::SUCCESS
}
