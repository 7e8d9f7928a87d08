//! Sorting for cold paths (INFO, CLIENT LIST, ZINTER's inputs): a small
//! stable merge sort over `usize` indices with a `dyn` comparator, compiled
//! once.
//!
//! Why: each `sort_by` call site with its own element type and closure
//! instantiates the whole standard sort (3 to 15 KB of wasm each). Here
//! only the small permutation step is generic. The price is an indirect
//! call per comparison, a plain merge sort and two `usize` per element
//! while sorting: fine for sorts of a few hundred items that run once per
//! INFO or CLIENT LIST. Hot paths and big sorts (snapshots, SORT, ZUNION)
//! keep the standard library's `sort_by`.
//!
//! Invariant: the result is the stable sort's, the same as `[T]::sort_by`
//! with the same comparator (ties keep their original order).

use alloc::vec;
use alloc::vec::Vec;
use core::cmp::Ordering;

/// Sorts `idx` (stable) by `cmp` over its values: bottom-up merge sort.
#[inline(never)]
pub fn sort_indices(idx: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    let n = idx.len();
    let mut a = idx.to_vec();
    let mut b = vec![0usize; n];
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = lo.saturating_add(width).min(n);
            let hi = lo.saturating_add(2 * width).min(n);
            let (mut i, mut j, mut k) = (lo, mid, lo);
            while i < mid && j < hi {
                // Take from the right run only when strictly smaller: stable.
                if cmp(a[j], a[i]) == Ordering::Less {
                    b[k] = a[j];
                    j += 1;
                } else {
                    b[k] = a[i];
                    i += 1;
                }
                k += 1;
            }
            b[k..k + (mid - i)].copy_from_slice(&a[i..mid]);
            k += mid - i;
            b[k..hi].copy_from_slice(&a[j..hi]);
            lo = hi;
        }
        core::mem::swap(&mut a, &mut b);
        width = width.saturating_mul(2);
    }
    idx.copy_from_slice(&a);
}

/// Sorts `v` (stable) by `cmp`, like `v.sort_by(cmp)`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut perm: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut perm, &mut |a, b| cmp(&v[a], &v[b]));
    // Apply: position j must receive v[perm[j]]. Each cycle is walked once,
    // swapping the carried element along; visited positions are marked by
    // perm[j] = j.
    for start in 0..perm.len() {
        let mut j = start;
        loop {
            let k = perm[j];
            perm[j] = j;
            if k == start {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn matches_std_stable_sort() {
        let mut rng = Rng::new(7);
        for n in [0usize, 1, 2, 3, 5, 17, 64, 300] {
            for _ in 0..20 {
                let v: Vec<(u8, u32)> = (0..n as u32).map(|i| ((rng.next_u64() % 7) as u8, i)).collect();
                let mut a = v.clone();
                let mut b = v.clone();
                a.sort_by_key(|x| x.0);
                sort_by(&mut b, |x, y| x.0.cmp(&y.0));
                assert_eq!(a, b);
                let mut c = v.clone();
                sort_by(&mut c, |x, y| y.cmp(x));
                a.sort_by(|x, y| y.cmp(x));
                assert_eq!(a, c);
            }
        }
    }
}
