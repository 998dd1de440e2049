//! The Kafka protocol's primitive types: big-endian integers, classic (`i16`/`i32` length) and
//! compact (unsigned varint length + 1) strings, bytes and arrays, tagged fields, and the
//! request headers v1 (classic) and v2 (flexible).

/// The answer did not decode: truncated, a bad length, or invalid UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Malformed;

/// Writes a request body.
#[derive(Debug, Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty body.
    pub fn new() -> Writer {
        Writer::default()
    }

    /// The bytes written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// `int8` / `boolean`.
    pub fn i8(&mut self, v: i8) -> &mut Writer {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// `int16`.
    pub fn i16(&mut self, v: i16) -> &mut Writer {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// `int32`.
    pub fn i32(&mut self, v: i32) -> &mut Writer {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// `int64`.
    pub fn i64(&mut self, v: i64) -> &mut Writer {
        self.buf.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// `boolean`.
    pub fn bool(&mut self, v: bool) -> &mut Writer {
        self.i8(i8::from(v))
    }

    /// Unsigned varint.
    pub fn uvarint(&mut self, mut v: u32) -> &mut Writer {
        while v >= 0x80 {
            self.buf.push((v as u8 & 0x7f) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
        self
    }

    /// Classic `string` (`i16` length).
    pub fn string(&mut self, s: &str) -> &mut Writer {
        self.i16(s.len() as i16);
        self.buf.extend_from_slice(s.as_bytes());
        self
    }

    /// Classic `nullable_string`.
    pub fn nullable_string(&mut self, s: Option<&str>) -> &mut Writer {
        match s {
            Some(s) => self.string(s),
            None => self.i16(-1),
        }
    }

    /// `compact_string`.
    pub fn compact_string(&mut self, s: &str) -> &mut Writer {
        self.compact_bytes(s.as_bytes())
    }

    /// `compact_bytes`.
    pub fn compact_bytes(&mut self, b: &[u8]) -> &mut Writer {
        self.uvarint(b.len() as u32 + 1);
        self.buf.extend_from_slice(b);
        self
    }

    /// The length of a `compact_array`; `None` writes a null array.
    pub fn compact_array_len(&mut self, len: Option<usize>) -> &mut Writer {
        self.uvarint(len.map_or(0, |n| n as u32 + 1))
    }

    /// Classic array length (`i32`); `None` writes a null array.
    pub fn array_len(&mut self, len: Option<usize>) -> &mut Writer {
        self.i32(len.map_or(-1, |n| n as i32))
    }

    /// An empty tagged-field section.
    pub fn no_tags(&mut self) -> &mut Writer {
        self.uvarint(0)
    }
}

/// Reads a response body.
#[derive(Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads `buf` from its start.
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf }
    }

    /// How many bytes are left to read.
    pub fn remaining(&self) -> usize {
        self.buf.len()
    }

    /// True when every byte was read.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        if self.buf.len() < n {
            return Err(Malformed);
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], Malformed> {
        self.take(N)?.try_into().map_err(|_| Malformed)
    }

    /// `int8`.
    pub fn i8(&mut self) -> Result<i8, Malformed> {
        Ok(i8::from_be_bytes(self.fixed()?))
    }

    /// `boolean`.
    pub fn bool(&mut self) -> Result<bool, Malformed> {
        Ok(self.i8()? != 0)
    }

    /// `int16`.
    pub fn i16(&mut self) -> Result<i16, Malformed> {
        Ok(i16::from_be_bytes(self.fixed()?))
    }

    /// `int32`.
    pub fn i32(&mut self) -> Result<i32, Malformed> {
        Ok(i32::from_be_bytes(self.fixed()?))
    }

    /// `int64`.
    pub fn i64(&mut self) -> Result<i64, Malformed> {
        Ok(i64::from_be_bytes(self.fixed()?))
    }

    /// `uuid` (16 bytes).
    pub fn uuid(&mut self) -> Result<[u8; 16], Malformed> {
        self.fixed()
    }

    /// Unsigned varint (at most 32 bits).
    pub fn uvarint(&mut self) -> Result<u32, Malformed> {
        let mut value = 0u32;
        for shift in (0..35).step_by(7) {
            let byte = self.fixed::<1>()?[0];
            value |= u32::from(byte & 0x7f).checked_shl(shift).ok_or(Malformed)?;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Malformed)
    }

    fn utf8(bytes: &[u8]) -> Result<String, Malformed> {
        String::from_utf8(bytes.to_vec()).map_err(|_| Malformed)
    }

    /// Classic `string`.
    pub fn string(&mut self) -> Result<String, Malformed> {
        Ok(self.nullable_string()?.unwrap_or_default())
    }

    /// Classic `nullable_string`.
    pub fn nullable_string(&mut self) -> Result<Option<String>, Malformed> {
        let len = self.i16()?;
        if len < 0 {
            return Ok(None);
        }
        let bytes = self.take(len as usize)?;
        Reader::utf8(bytes).map(Some)
    }

    /// Classic `bytes` (`i32` length; null reads as empty).
    pub fn bytes(&mut self) -> Result<&'a [u8], Malformed> {
        let len = self.i32()?;
        if len < 0 {
            return Ok(&[]);
        }
        self.take(len as usize)
    }

    /// `compact_string` (null reads as empty).
    pub fn compact_string(&mut self) -> Result<String, Malformed> {
        Ok(self.compact_nullable_string()?.unwrap_or_default())
    }

    /// `compact_nullable_string`.
    pub fn compact_nullable_string(&mut self) -> Result<Option<String>, Malformed> {
        match self.uvarint()? {
            0 => Ok(None),
            n => Reader::utf8(self.take(n as usize - 1)?).map(Some),
        }
    }

    /// `compact_bytes` (null reads as empty).
    pub fn compact_bytes(&mut self) -> Result<&'a [u8], Malformed> {
        match self.uvarint()? {
            0 => Ok(&[]),
            n => self.take(n as usize - 1),
        }
    }

    /// Length of a classic array; a null array holds nothing.
    pub fn array_len(&mut self) -> Result<usize, Malformed> {
        let n = self.i32()?;
        let n = usize::try_from(n).unwrap_or(0);
        // Every element takes at least one byte: a larger count cannot be genuine.
        if n > self.buf.len() { Err(Malformed) } else { Ok(n) }
    }

    /// Length of a `compact_array`; a null array holds nothing.
    pub fn compact_array_len(&mut self) -> Result<usize, Malformed> {
        let n = (self.uvarint()? as usize).saturating_sub(1);
        if n > self.buf.len() { Err(Malformed) } else { Ok(n) }
    }

    /// Skips a tagged-field section (no tagged field is read by this client).
    pub fn skip_tags(&mut self) -> Result<(), Malformed> {
        for _ in 0..self.uvarint()? {
            let _tag = self.uvarint()?;
            let len = self.uvarint()?;
            self.take(len as usize)?;
        }
        Ok(())
    }
}

/// The client id sent in every request header.
pub const CLIENT_ID: &str = "diskless-migrator";

/// A framed request: size prefix, header (v2 when `flexible`, else v1), then `body`.
pub fn frame(api_key: i16, api_version: i16, correlation_id: i32, flexible: bool, body: &[u8]) -> Vec<u8> {
    let mut header = Writer::new();
    header
        .i16(api_key)
        .i16(api_version)
        .i32(correlation_id)
        .nullable_string(Some(CLIENT_ID));
    if flexible {
        header.no_tags();
    }
    let header = header.into_bytes();
    let size = (header.len() + body.len()) as i32;
    let mut out = Vec::with_capacity(size as usize + 4);
    out.extend_from_slice(&size.to_be_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(body);
    out
}

/// Checks the response header (v1 when `flexible`, else v0) and returns the body's reader.
pub fn response_body(frame: &[u8], correlation_id: i32, flexible: bool) -> Result<Reader<'_>, Malformed> {
    let mut r = Reader::new(frame);
    if r.i32()? != correlation_id {
        return Err(Malformed);
    }
    if flexible {
        r.skip_tags()?;
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for v in [0u32, 1, 127, 128, 300, 16_383, 16_384, u32::MAX] {
            let mut w = Writer::new();
            w.uvarint(v);
            let bytes = w.into_bytes();
            assert_eq!(Reader::new(&bytes).uvarint(), Ok(v), "{v}");
        }
        let mut w = Writer::new();
        w.uvarint(300);
        assert_eq!(w.into_bytes(), vec![0xac, 0x02]);
    }

    #[test]
    fn compact_and_classic_strings() {
        let mut w = Writer::new();
        w.compact_string("ab")
            .string("cd")
            .compact_array_len(None)
            .compact_array_len(Some(2));
        let bytes = w.into_bytes();
        assert_eq!(bytes, vec![3, b'a', b'b', 0, 2, b'c', b'd', 0, 3]);
        let mut r = Reader::new(&bytes);
        assert_eq!(r.compact_string().unwrap(), "ab");
        assert_eq!(r.string().unwrap(), "cd");
        assert_eq!(r.uvarint().unwrap(), 0);
        assert_eq!(r.uvarint().unwrap(), 3);
        assert!(r.is_empty());
    }

    #[test]
    fn flexible_header_has_classic_client_id_and_tags() {
        let f = frame(10, 4, 7, true, &[0xaa]);
        let mut expected = Vec::new();
        expected.extend_from_slice(&(2 + 2 + 4 + 2 + 17 + 1 + 1i32).to_be_bytes());
        expected.extend_from_slice(&[0, 10, 0, 4, 0, 0, 0, 7, 0, 17]);
        expected.extend_from_slice(b"diskless-migrator");
        expected.extend_from_slice(&[0, 0xaa]);
        assert_eq!(f, expected);
    }

    #[test]
    fn tagged_fields_are_skipped_and_truncation_detected() {
        // correlation id 7, one tagged field (tag 0, 2 bytes), then body byte 9.
        let bytes = [0, 0, 0, 7, 1, 0, 2, 0xde, 0xad, 9];
        let mut r = response_body(&bytes, 7, true).unwrap();
        assert_eq!(r.i8(), Ok(9));
        assert!(response_body(&bytes, 8, true).is_err());
        assert_eq!(Reader::new(&[0, 5, b'a']).string(), Err(Malformed));
        assert_eq!(Reader::new(&[0, 0, 0, 9]).array_len(), Err(Malformed));
    }
}
