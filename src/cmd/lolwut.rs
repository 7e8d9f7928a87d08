//! LOLWUT [VERSION v] [args...]: Redis 7.0's computer art. Version 5 draws
//! Georg Nees's "Schotter" in Braille characters, version 6 a city skyline
//! in terminal colours, any other version just the Redis version line.
//! Both drawings are random (Redis seeds `rand()` from the time and its
//! pid); here the engine's seeded generator stands in for `rand()`, so the
//! art is Redis's in every respect but the dice.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use super::flags::*;
use super::{Args, Command, Ctx};
use crate::error::{Error, Result};
use crate::num;
use crate::reply::Reply;

/// LOLWUT.
pub const COMMANDS: &[Command] = &[Command {
    name: "lolwut",
    arity: -1,
    flags: READONLY | FAST,
    acl: "@read @fast",
    group: "server",
    summary: "Display some computer art and the Redis version",
    since: "5.0.0",
    handler: lolwut_cmd,
    ..Command::DEFAULT
}];

const VERSION_LINE: &str = "Redis ver. 7.0.15\n";

fn lolwut_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let mut version = None;
    if a.remaining() >= 2 && a.peek().is_some_and(|v| v.eq_ignore_ascii_case(b"version")) {
        a.next();
        version = Some(a.i64()?);
    }
    // Redis formats the version as "%u.0.0" and looks at its first
    // characters: only 5 and 6 have their own art.
    let text = match version.map(|v| v as u32) {
        Some(5) => schotter(cx, a)?,
        Some(6) => skyline(cx, a)?,
        _ => String::from(VERSION_LINE),
    };
    Ok(Reply::Verbatim("txt", text.into_bytes()))
}

/// The next optional integer argument (Redis's getLongFromObjectOrReply).
fn opt_long(a: &mut Args<'_>, default: i64) -> Result<i64> {
    match a.next() {
        Some(v) => num::parse_i64(v).ok_or(Error::NotInteger),
        None => Ok(default),
    }
}

/// C's `rand()`: 0 ..= RAND_MAX (2^31 - 1).
fn rand(cx: &mut Ctx<'_>) -> i64 {
    (cx.eng.rng.next_u64() >> 33) as i64
}

const RAND_MAX: f32 = 2_147_483_647.0;

/// The largest LOLWUT VERSION 5 canvas drawn (see [`schotter`]).
const MAX_PIXELS: i64 = 1 << 22;

/// lolwut.c's canvas: one byte per pixel.
struct Canvas {
    width: i64,
    height: i64,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: i64, height: i64, color: u8) -> Canvas {
        Canvas { width, height, pixels: vec![color; (width.max(0) * height.max(0)) as usize] }
    }

    fn draw(&mut self, x: i64, y: i64, color: u8) {
        if x >= 0 && x < self.width && y >= 0 && y < self.height {
            self.pixels[(x + y * self.width) as usize] = color;
        }
    }

    fn get(&self, x: i64, y: i64) -> u8 {
        if x >= 0 && x < self.width && y >= 0 && y < self.height {
            self.pixels[(x + y * self.width) as usize]
        } else {
            0
        }
    }

    /// Bresenham's line, as lwDrawLine.
    fn line(&mut self, mut x1: i64, mut y1: i64, x2: i64, y2: i64, color: u8) {
        let (dx, dy) = ((x2 - x1).abs(), (y2 - y1).abs());
        let (sx, sy) = (if x1 < x2 { 1 } else { -1 }, if y1 < y2 { 1 } else { -1 });
        let mut err = dx - dy;
        loop {
            self.draw(x1, y1, color);
            if x1 == x2 && y1 == y2 {
                break;
            }
            let e2 = err * 2;
            if e2 > -dy {
                err -= dy;
                x1 += sx;
            }
            if e2 < dx {
                err += dx;
                y1 += sy;
            }
        }
    }

    /// lwDrawSquare: a square of side `size` centred on (x, y), rotated by
    /// `angle`, with lolwut.c's float and double steps.
    // Redis divides by the literal 1.4142135623, not by sqrt(2).
    #[allow(clippy::approx_constant)]
    fn square(&mut self, x: i64, y: i64, size: f32, angle: f32, color: u8) {
        let size = libm::round(f64::from(size) / 1.4142135623) as f32;
        let mut k = (core::f64::consts::FRAC_PI_4 + f64::from(angle)) as f32;
        let (mut px, mut py) = ([0i64; 4], [0i64; 4]);
        for j in 0..4 {
            px[j] = libm::round(libm::sin(f64::from(k)) * f64::from(size) + x as f64) as i64;
            py[j] = libm::round(libm::cos(f64::from(k)) * f64::from(size) + y as f64) as i64;
            k = (f64::from(k) + core::f64::consts::FRAC_PI_2) as f32;
        }
        for j in 0..4 {
            self.line(px[j], py[j], px[(j + 1) % 4], py[(j + 1) % 4], color);
        }
    }
}

/// LOLWUT VERSION 5 [cols [squares-per-row [squares-per-col]]].
fn schotter(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<String> {
    let cols = opt_long(a, 66)?.clamp(1, 1000);
    let per_row = opt_long(a, 8)?.clamp(1, 200);
    let per_col = opt_long(a, 12)?.clamp(1, 200);
    let width = cols * 2;
    let padding = if width > 4 { 2 } else { 0 };
    let side = (width - padding * 2) as f32 / per_row as f32;
    let height = (side * per_col as f32 + (padding * 2) as f32) as i64;
    // Redis's limits still allow a 2000 x 399204 canvas (800 MB, a 300 MB
    // reply); the drawing is cut at MAX_PIXELS, squares below it are
    // drawn off the canvas (a wasm memory never shrinks).
    let height = height.min(MAX_PIXELS / width);
    let mut canvas = Canvas::new(width, height, 0);
    for y in 0..per_col {
        for x in 0..per_row {
            let mut sx = (x as f32 * side + side / 2.0 + padding as f32) as i64;
            let mut sy = (y as f32 * side + side / 2.0 + padding as f32) as i64;
            let mut angle = 0.0f32;
            if y > 1 {
                let mut r: [f32; 3] = [0.0; 3];
                for v in r.iter_mut() {
                    *v = rand(cx) as f32 / RAND_MAX / per_col as f32 * y as f32;
                }
                for v in r.iter_mut() {
                    if rand(cx) % 2 != 0 {
                        *v = -*v;
                    }
                }
                angle = r[0];
                sx = (sx as f32 + r[1] * side / 3.0) as i64;
                sy = (sy as f32 + r[2] * side / 3.0) as i64;
            }
            canvas.square(sx, sy, side, angle, 1);
        }
    }
    // Braille: each character is a 2x4 block of pixels.
    let mut text = String::new();
    let mut y = 0;
    while y < canvas.height {
        let mut x = 0;
        while x < canvas.width {
            let bits = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (0, 3), (1, 3)];
            let byte = bits.iter().enumerate().fold(0u32, |b, (i, &(dx, dy))| if canvas.get(x + dx, y + dy) != 0 { b | 1 << i } else { b });
            text.push(char::from_u32(0x2800 + byte).unwrap_or(' '));
            x += 2;
        }
        if y != canvas.height - 1 {
            text.push('\n');
        }
        y += 4;
    }
    text.push_str("\nGeorg Nees - schotter, plotter on paper, 1968. ");
    text.push_str(VERSION_LINE);
    Ok(text)
}

/// LOLWUT VERSION 6 [cols [rows]].
fn skyline(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<String> {
    let cols = opt_long(a, 80)?.clamp(1, 1000);
    let rows = opt_long(a, 20)?.clamp(1, 1000);
    let mut canvas = Canvas::new(cols, rows, 3);
    // Background skyscrapers without windows, lighter ones behind.
    for color in [2u8, 1] {
        let mut offset = -10;
        while offset < canvas.width {
            offset += rand(cx) % 8;
            let width = 10 + rand(cx) % 9;
            let height = if color == 2 { canvas.height / 2 + rand(cx) % canvas.height / 2 } else { canvas.height / 2 + rand(cx) % canvas.height / 3 };
            skyscraper(cx, &mut canvas, offset, width, height, false, color);
            offset += if color == 2 { width / 2 } else { width + 1 };
        }
    }
    // Foreground skyscrapers with windows.
    let mut offset = -10;
    while offset < canvas.width {
        offset += rand(cx) % 8;
        let mut width = 5 + rand(cx) % 14;
        if width % 4 != 0 {
            width += width % 3;
        }
        let height = canvas.height / 3 + rand(cx) % canvas.height / 2;
        skyscraper(cx, &mut canvas, offset, width, height, true, 0);
        offset += width + 5;
    }
    let mut text = String::new();
    for y in 0..canvas.height {
        for x in 0..canvas.width {
            let ce = match canvas.get(x, y) {
                1 => "0;90;100m",
                2 => "0;37;47m",
                3 => "0;97;107m",
                _ => "0;30;40m",
            };
            text.push_str("\x1b[");
            text.push_str(ce);
            text.push_str(" \x1b[0m");
        }
        if y != canvas.height - 1 {
            text.push('\n');
        }
    }
    text.push_str("\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. ");
    text.push_str(VERSION_LINE);
    Ok(text)
}

/// lolwut6.c's generateSkyscraper: a building from the bottom row up, its
/// roof two pixels narrower on each side, windows two pixels wide.
fn skyscraper(cx: &mut Ctx<'_>, canvas: &mut Canvas, xoff: i64, width: i64, height: i64, windows: bool, color: u8) {
    let starty = canvas.height - 1;
    let endy = starty - height + 1;
    let mut y = starty;
    while y >= endy {
        for x in xoff..xoff + width {
            if y == endy && (x <= xoff + 1 || x >= xoff + width - 2) {
                continue;
            }
            let mut c = color;
            if windows && x > xoff + 1 && x < xoff + width - 2 && y > endy + 1 && y < starty - 1 {
                let relx = x - (xoff + 1);
                let rely = y - (endy + 1);
                if (relx / 2) % 2 != 0 && rely % 2 != 0 {
                    loop {
                        c = 1 + (rand(cx) % 2) as u8;
                        if c != color {
                            break;
                        }
                    }
                    // A window's two pixels share a colour.
                    if relx % 2 != 0 {
                        c = canvas.get(x - 1, y);
                    }
                }
            }
            canvas.draw(x, y, c);
        }
        y -= 1;
    }
}
