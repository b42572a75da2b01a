//! The index's compact stores: posting lists as delta-encoded varints in one buffer, lists
//! of word ids flattened into one vector, and the vocabulary as one sorted string. Per-word
//! and per-article vectors and strings cost a heap block each (one per word and per
//! article), and fixed-width postings were most of the whole archive's index.

use super::index::Posting;
use std::collections::HashMap;

/// Appends `v` as a little-endian base-128 varint.
fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `*at`, moving past it. The buffers are written by [`put_varint`] only.
#[inline]
fn get_varint(bytes: &[u8], at: &mut usize) -> u64 {
    // Most are one byte: a gap under 32 articles with its flags, a count under 128.
    let first = bytes[*at];
    if first < 0x80 {
        *at += 1;
        return u64::from(first);
    }
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

/// One word's postings while the index is built: encoded as they arrive, in article order.
#[derive(Debug, Default)]
pub(super) struct PostingBuf {
    bytes: Vec<u8>,
    last: u32,
    count: u32,
}

impl PostingBuf {
    /// Adds the next posting; its article comes after every earlier one's.
    pub fn push(&mut self, p: Posting) {
        debug_assert!(self.count == 0 || p.doc > self.last);
        let delta = u64::from(p.doc - if self.count == 0 { 0 } else { self.last });
        // Most postings are in neither title nor symptoms: two flag bits spare their counts.
        let flags = u64::from(p.title > 0) | u64::from(p.symptoms > 0) << 1;
        put_varint(&mut self.bytes, delta << 2 | flags);
        put_varint(&mut self.bytes, u64::from(p.body));
        if p.title > 0 {
            self.bytes.push(p.title);
        }
        if p.symptoms > 0 {
            self.bytes.push(p.symptoms);
        }
        self.last = p.doc;
        self.count += 1;
    }
}

/// Every word's postings, packed end to end.
#[derive(Debug, Default)]
pub(super) struct PostingLists {
    bytes: Vec<u8>,
    /// Per word, where its postings end in `bytes` (each starts where the one before ends).
    end: Vec<u32>,
    count: Vec<u32>,
}

impl PostingLists {
    /// Packs the buffers of words `0..n`, in word order.
    pub fn pack(bufs: Vec<PostingBuf>) -> Self {
        let total = bufs.iter().map(|b| b.bytes.len()).sum();
        let mut lists = Self {
            bytes: Vec::with_capacity(total),
            end: Vec::with_capacity(bufs.len()),
            count: Vec::with_capacity(bufs.len()),
        };
        for b in bufs {
            lists.bytes.extend_from_slice(&b.bytes);
            lists
                .end
                .push(u32::try_from(lists.bytes.len()).expect("postings under 4 GB"));
            lists.count.push(b.count);
        }
        lists
    }

    /// How many articles hold word `t`.
    pub fn len(&self, t: u32) -> usize {
        self.count[t as usize] as usize
    }

    /// Word `t`'s postings, in article order.
    pub fn iter(&self, t: u32) -> PostingIter<'_> {
        let t = t as usize;
        let start = if t == 0 { 0 } else { self.end[t - 1] as usize };
        PostingIter {
            bytes: &self.bytes[start..self.end[t] as usize],
            at: 0,
            doc: 0,
            left: self.count[t],
        }
    }
}

/// Decodes one word's postings.
pub(super) struct PostingIter<'a> {
    bytes: &'a [u8],
    at: usize,
    doc: u32,
    left: u32,
}

impl Iterator for PostingIter<'_> {
    type Item = Posting;

    #[inline]
    fn next(&mut self) -> Option<Posting> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let head = get_varint(self.bytes, &mut self.at);
        self.doc += (head >> 2) as u32;
        let body = get_varint(self.bytes, &mut self.at) as u16;
        let mut take = |flag: u64| {
            if head & flag == 0 {
                return 0;
            }
            self.at += 1;
            self.bytes[self.at - 1]
        };
        let (title, symptoms) = (take(1), take(2));
        Some(Posting {
            doc: self.doc,
            body,
            title,
            symptoms,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left as usize, Some(self.left as usize))
    }
}

/// Lists of word ids (an article's head, its products), flattened.
#[derive(Debug, Default)]
pub(super) struct Lists {
    values: Vec<u32>,
    end: Vec<u32>,
}

impl Lists {
    /// Adds the next list.
    pub fn push(&mut self, list: &[u32]) {
        self.values.extend_from_slice(list);
        self.end
            .push(u32::try_from(self.values.len()).expect("lists under 4 G values"));
    }

    /// List `i`.
    pub fn get(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.end[i - 1] as usize };
        &self.values[start..self.end[i] as usize]
    }

    /// Gives back the room grown into while building.
    pub fn shrink(&mut self) {
        self.values.shrink_to_fit();
        self.end.shrink_to_fit();
    }
}

/// The vocabulary once built: stems sorted in one string, found by binary search, and each
/// word's first-seen spelling.
#[derive(Debug, Default)]
pub(super) struct Vocab {
    stems: String,
    /// Per sorted stem, where it ends in `stems`.
    stem_end: Vec<u32>,
    /// Per sorted stem, its word id.
    ids: Vec<u32>,
    /// Spellings by word id, and where each ends.
    surfaces: String,
    surface_end: Vec<u32>,
}

impl Vocab {
    /// The vocabulary of `terms` (stem to word id) with `surface[id]` spellings.
    pub fn new(terms: HashMap<String, u32>, surface: Vec<String>) -> Self {
        let mut sorted: Vec<(String, u32)> = terms.into_iter().collect();
        sorted.sort_unstable();
        let mut v = Self {
            stems: String::with_capacity(sorted.iter().map(|(s, _)| s.len()).sum()),
            stem_end: Vec::with_capacity(sorted.len()),
            ids: Vec::with_capacity(sorted.len()),
            surfaces: String::with_capacity(surface.iter().map(String::len).sum()),
            surface_end: Vec::with_capacity(surface.len()),
        };
        for (stem, id) in sorted {
            v.stems.push_str(&stem);
            v.stem_end.push(offset(&v.stems));
            v.ids.push(id);
        }
        for s in surface {
            v.surfaces.push_str(&s);
            v.surface_end.push(offset(&v.surfaces));
        }
        v
    }

    fn stem(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.stem_end[i - 1] as usize
        };
        &self.stems[start..self.stem_end[i] as usize]
    }

    /// The id of `stem`, when the vocabulary holds it.
    pub fn get(&self, stem: &str) -> Option<u32> {
        let (mut lo, mut hi) = (0, self.ids.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.stem(mid).cmp(stem) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(self.ids[mid]),
            }
        }
        None
    }

    /// Word `t`'s first-seen spelling.
    pub fn surface(&self, t: u32) -> &str {
        let t = t as usize;
        let start = if t == 0 {
            0
        } else {
            self.surface_end[t - 1] as usize
        };
        &self.surfaces[start..self.surface_end[t] as usize]
    }
}

fn offset(s: &str) -> u32 {
    u32::try_from(s.len()).expect("vocabulary under 4 GB")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(doc: u32, title: u8, symptoms: u8, body: u16) -> Posting {
        Posting {
            doc,
            body,
            title,
            symptoms,
        }
    }

    #[test]
    fn postings_come_back_as_they_went_in() {
        let cases: Vec<Vec<Posting>> = vec![
            vec![],
            vec![p(0, 0, 0, 1)],
            vec![p(0, 1, 0, 0), p(1, 0, 2, 0), p(2, 3, 4, 5)],
            // Wide gaps, counts at their limits, a body count over one varint byte.
            vec![
                p(7, 0, 0, 300),
                p(100_000, 255, 255, u16::MAX),
                p(u32::MAX, 0, 1, 0),
            ],
        ];
        let bufs: Vec<PostingBuf> = cases
            .iter()
            .map(|list| {
                let mut b = PostingBuf::default();
                list.iter().for_each(|&x| b.push(x));
                b
            })
            .collect();
        let lists = PostingLists::pack(bufs);
        for (t, want) in cases.iter().enumerate() {
            let got: Vec<Posting> = lists.iter(t as u32).collect();
            assert_eq!(got, *want, "word {t}");
            assert_eq!(lists.len(t as u32), want.len());
        }
        // A posting in neither title nor symptoms with a small gap and count: two bytes.
        let mut b = PostingBuf::default();
        b.push(p(3, 0, 0, 2));
        assert_eq!(b.bytes.len(), 2);
    }

    #[test]
    fn lists_and_vocabulary_find_what_they_hold() {
        let mut lists = Lists::default();
        for l in [&[1, 2][..], &[], &[u32::MAX, 0, 5]] {
            lists.push(l);
        }
        assert_eq!(lists.get(0), [1, 2]);
        assert_eq!(lists.get(1), [] as [u32; 0]);
        assert_eq!(lists.get(2), [u32::MAX, 0, 5]);

        let words = ["outlook", "crash", "mail", "a"];
        let terms = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.to_string(), i as u32))
            .collect();
        let surface = ["Outlook", "crashes", "mail", "a"]
            .map(String::from)
            .to_vec();
        let vocab = Vocab::new(terms, surface);
        for (i, w) in words.iter().enumerate() {
            assert_eq!(vocab.get(w), Some(i as u32), "{w}");
        }
        for missing in ["", "outlooks", "b", "zz", "crash "] {
            assert_eq!(vocab.get(missing), None, "{missing:?}");
        }
        assert_eq!(vocab.surface(0), "Outlook");
        assert_eq!(vocab.surface(1), "crashes");
        assert_eq!(vocab.surface(3), "a");
    }
}
