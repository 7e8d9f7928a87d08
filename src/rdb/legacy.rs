//! The older packed encodings RDB payloads may hold: ziplists (lists,
//! hashes and sorted sets before Redis 7.0), zipmaps (hashes before 2.6),
//! and intsets (still current for sets). Read with Redis's deep integrity
//! checks, so a payload that passes decodes without further checks; the
//! intset is also written (sets of integers DUMP as one).

use alloc::vec::Vec;

use super::listpack::Item;

/// Every element of ziplist `zl`, after checking the whole layout
/// (`ziplistValidateIntegrity`, deep): header size and tail offset, each
/// entry's encoding and its `prevlen`, the end byte and the count.
pub fn ziplist(zl: &[u8]) -> Option<Vec<Item<'_>>> {
    const HEADER: usize = 10;
    if zl.len() < HEADER + 1 {
        return None;
    }
    let bytes = u32::from_le_bytes([zl[0], zl[1], zl[2], zl[3]]) as usize;
    let tail = u32::from_le_bytes([zl[4], zl[5], zl[6], zl[7]]) as usize;
    let count = u16::from_le_bytes([zl[8], zl[9]]) as usize;
    if bytes != zl.len() || zl[zl.len() - 1] != 0xFF {
        return None;
    }
    let end = zl.len() - 1;
    let mut items = Vec::with_capacity(count.min(end / 2));
    let mut p = HEADER;
    let mut prev_len = 0usize;
    let mut last = HEADER;
    while p < end {
        // prevlen: one byte below 254, else 0xFE and 4 bytes.
        let (prevlen, pl) = match zl[p] {
            0xFF => return None,
            0xFE => {
                let h = zl.get(p + 1..p + 5)?;
                (u32::from_le_bytes([h[0], h[1], h[2], h[3]]) as usize, 5)
            }
            b => (b as usize, 1),
        };
        if prevlen != prev_len {
            return None;
        }
        let q = p + pl;
        let b = *zl.get(q)?;
        let (item, hl, dl): (Item<'_>, usize, usize) = match b >> 6 {
            0 => {
                let n = (b & 0x3F) as usize;
                (Item::Str(zl.get(q + 1..q + 1 + n)?), 1, n)
            }
            1 => {
                let n = (((b & 0x3F) as usize) << 8) | *zl.get(q + 1)? as usize;
                (Item::Str(zl.get(q + 2..q + 2 + n)?), 2, n)
            }
            2 => {
                let h = zl.get(q + 1..q + 5)?;
                let n = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as usize;
                (Item::Str(zl.get(q + 5..(q + 5).checked_add(n)?)?), 5, n)
            }
            _ => match b {
                0xC0 => {
                    let h = zl.get(q + 1..q + 3)?;
                    (Item::Int(i16::from_le_bytes([h[0], h[1]]) as i64), 1, 2)
                }
                0xD0 => {
                    let h = zl.get(q + 1..q + 5)?;
                    (Item::Int(i32::from_le_bytes([h[0], h[1], h[2], h[3]]) as i64), 1, 4)
                }
                0xE0 => {
                    let h = zl.get(q + 1..q + 9)?;
                    let mut a = [0u8; 8];
                    a.copy_from_slice(h);
                    (Item::Int(i64::from_le_bytes(a)), 1, 8)
                }
                0xF0 => {
                    let h = zl.get(q + 1..q + 4)?;
                    (Item::Int((i32::from_le_bytes([0, h[0], h[1], h[2]]) >> 8) as i64), 1, 3)
                }
                0xFE => (Item::Int(*zl.get(q + 1)? as i8 as i64), 1, 1),
                0xF1..=0xFD => (Item::Int((b & 0x0F) as i64 - 1), 1, 0),
                _ => return None,
            },
        };
        let next = q.checked_add(hl)?.checked_add(dl)?;
        if next > end {
            return None;
        }
        items.push(item);
        last = p;
        prev_len = next - p;
        p = next;
    }
    if tail != last || (count != 65535 && count != items.len()) {
        return None;
    }
    Some(items)
}

/// The field/value pairs of zipmap `zm` (hashes in RDB files before Redis
/// 2.6), checked as `zipmapValidateIntegrity` does (deep), and refusing
/// bytes after the end marker.
pub fn zipmap(zm: &[u8]) -> Option<Vec<(&[u8], &[u8])>> {
    if zm.len() < 2 || zm[zm.len() - 1] != 0xFF {
        return None;
    }
    let end = zm.len() - 1;
    let len_at = |p: usize| -> Option<(usize, usize)> {
        match *zm.get(p)? {
            254 => {
                let h = zm.get(p + 1..p + 5)?;
                Some((u32::from_le_bytes([h[0], h[1], h[2], h[3]]) as usize, 5))
            }
            255 => None,
            b => Some((b as usize, 1)),
        }
    };
    let mut pairs = Vec::new();
    let mut p = 1;
    while p < end {
        let (kl, s) = len_at(p)?;
        let k0 = p + s;
        let k1 = k0.checked_add(kl)?;
        let (vl, s) = len_at(k1)?;
        let free = *zm.get(k1 + s)? as usize;
        let v0 = k1 + s + 1;
        let v1 = v0.checked_add(vl)?;
        let next = v1.checked_add(free)?;
        if next > end {
            return None;
        }
        pairs.push((&zm[k0..k1], &zm[v0..v1]));
        p = next;
    }
    if pairs.is_empty() || (zm[0] != 254 && zm[0] as usize != pairs.len()) {
        return None;
    }
    Some(pairs)
}

/// The members of intset `is`, checked as `intsetValidateIntegrity` does
/// (deep): a valid width, the size matching the count, not empty, strictly
/// ascending.
pub fn intset(is: &[u8]) -> Option<Vec<i64>> {
    let h = is.get(..8)?;
    let enc = u32::from_le_bytes([h[0], h[1], h[2], h[3]]) as usize;
    let count = u32::from_le_bytes([h[4], h[5], h[6], h[7]]) as usize;
    if !matches!(enc, 2 | 4 | 8) || count == 0 || count.checked_mul(enc)?.checked_add(8)? != is.len() {
        return None;
    }
    let mut v = Vec::with_capacity(count);
    for c in is[8..].chunks_exact(enc) {
        let x = match enc {
            2 => i16::from_le_bytes([c[0], c[1]]) as i64,
            4 => i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as i64,
            _ => i64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
        };
        if v.last().is_some_and(|&p| p >= x) {
            return None;
        }
        v.push(x);
    }
    Some(v)
}

/// The intset blob of ascending `members`, in the narrowest width that
/// holds them all (what an intset only ever added to has).
pub fn write_intset(members: &[i64]) -> Vec<u8> {
    let fits = |lo: i64, hi: i64| members.iter().all(|&m| (lo..=hi).contains(&m));
    let enc: usize = if fits(i16::MIN as i64, i16::MAX as i64) {
        2
    } else if fits(i32::MIN as i64, i32::MAX as i64) {
        4
    } else {
        8
    };
    let mut out = Vec::with_capacity(8 + members.len() * enc);
    out.extend_from_slice(&(enc as u32).to_le_bytes());
    out.extend_from_slice(&(members.len() as u32).to_le_bytes());
    for &m in members {
        out.extend_from_slice(&m.to_le_bytes()[..enc]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn intset_round_trip() {
        for m in [vec![1i64, 2, 3], vec![-40000, 5], vec![i64::MIN, 0, i64::MAX]] {
            assert_eq!(intset(&write_intset(&m)).unwrap(), m);
        }
        assert!(intset(&write_intset(&[3, 3])).is_none());
        assert!(intset(&[2, 0, 0, 0, 0, 0, 0, 0]).is_none());
    }

    #[test]
    fn ziplist_from_redis_5() {
        // RPUSH l a 1 (Redis 5 DUMP's ziplist): zlbytes 17, tail 14, 2
        // entries: "a" (prevlen 0, 00|000001) and 1 (prevlen 3, imm 0xF2).
        let zl = [17, 0, 0, 0, 14, 0, 0, 0, 2, 0, 0, 0x01, b'a', 3, 0xF2, 0xFF];
        let mut zl = zl.to_vec();
        zl[0] = zl.len() as u8;
        zl[4] = 13;
        assert_eq!(ziplist(&zl).unwrap(), vec![Item::Str(b"a"), Item::Int(1)]);
        for k in 0..zl.len() {
            assert!(ziplist(&zl[..k]).is_none());
        }
    }

    #[test]
    fn zipmap_pairs() {
        let zm = [2, 3, b'f', b'o', b'o', 3, 0, b'b', b'a', b'r', 1, b'k', 1, 2, b'v', b'x', b'y', 0xFF];
        assert_eq!(zipmap(&zm).unwrap(), vec![(&b"foo"[..], &b"bar"[..]), (&b"k"[..], &b"v"[..])]);
        assert!(zipmap(&zm[..zm.len() - 1]).is_none());
    }
}
