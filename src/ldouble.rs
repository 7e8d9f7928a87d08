//! x87 80-bit extended precision (`long double`) emulation for INCRBYFLOAT
//! and HINCRBYFLOAT: parse like `strtold`, add, print like `%.17Lf` with
//! trailing zeros removed (Redis's `ld2string` human mode).
