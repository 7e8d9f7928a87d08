//! Redis's glob-style pattern matching (`stringmatchlen`): `*`, `?`, `[...]`
//! with ranges and `^` negation, `\` escapes; optional ASCII case folding.

/// True if `s` matches `pattern`.
pub fn matches(pattern: &[u8], s: &[u8], nocase: bool) -> bool {
    let _ = (pattern, s, nocase);
    todo_glob()
}

fn todo_glob() -> bool {
    false
}
