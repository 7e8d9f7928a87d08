//! README.md's command list is generated from the command table
//! (`redlet::cmd::families()`): this test renders it and checks that the part
//! of README.md between `<!-- commands:start -->` and `<!-- commands:end -->`
//! equals it. `REDLET_BLESS=1 cargo test --test readme` rewrites README.md.

use std::fmt::Write as _;
use std::path::PathBuf;

use redlet::cmd::{families, flags, Command};

const START: &str = "<!-- commands:start -->";
const END: &str = "<!-- commands:end -->";

fn flag_names(c: &Command) -> String {
    let names: Vec<&str> = flags::NAMES.iter().filter(|(f, _)| c.flags & f != 0).map(|(_, n)| *n).collect();
    names.join(" ")
}

/// Markdown-safe table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn row(out: &mut String, name: &str, c: &Command) {
    let _ = writeln!(out, "| `{}` | {} | {} | {} |", name, c.arity, flag_names(c), cell(c.summary));
}

/// The generated command list: one table per command group (Redis's COMMAND
/// DOCS groups), groups and commands in table order.
pub fn render() -> String {
    let mut groups: Vec<(&str, Vec<&Command>)> = Vec::new();
    let (mut top, mut subs) = (0usize, 0usize);
    for fam in families() {
        for c in fam.iter() {
            top += 1;
            subs += c.subcommands.len();
            match groups.iter_mut().find(|(g, _)| *g == c.group) {
                Some((_, v)) => v.push(c),
                None => groups.push((c.group, vec![c])),
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(out, "{top} commands and {subs} subcommands, generated from `redlet::cmd::families()` by `tests/readme.rs`");
    let _ = writeln!(out, "(arity as Redis defines it: `n` exactly n arguments including the name, `-n` at least n).");
    for (g, cmds) in groups {
        let name = if g.is_empty() { "other" } else { g };
        let _ = writeln!(out, "\n### {name} ({})\n", cmds.len());
        let _ = writeln!(out, "| command | arity | flags | summary |");
        let _ = writeln!(out, "|---|---|---|---|");
        for c in cmds {
            let upper = c.name.to_ascii_uppercase();
            row(&mut out, &upper, c);
            for s in c.subcommands {
                row(&mut out, &format!("{upper} {}", s.name.to_ascii_uppercase()), s);
            }
        }
    }
    out
}

#[test]
fn readme_command_list_matches_the_command_table() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("read README.md");
    let (Some(s), Some(e)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md lacks the {START} / {END} markers");
    };
    assert!(s < e, "README.md markers out of order");
    let current = &readme[s + START.len()..e];
    let want = format!("\n{}\n", render().trim_end());
    if std::env::var("REDLET_BLESS").is_ok_and(|v| !v.is_empty() && v != "0") {
        let new = format!("{}{START}{want}{}", &readme[..s], &readme[e..]);
        if new != readme {
            std::fs::write(&path, new).expect("write README.md");
            eprintln!("readme: README.md command list rewritten");
        }
        return;
    }
    assert!(
        current == want,
        "README.md's command list is out of date with the command table: run `REDLET_BLESS=1 cargo test --test readme`"
    );
}
