//! Partition sizes from `DescribeLogDirs`, which librdkafka does not offer: the request is sent
//! over a connection of our own, one request per broker.
//!
//! The wire format is small and stable, so it is written here by hand: request header v1 and
//! `DescribeLogDirs` v1 (non-flexible; v0 was removed in Kafka 4.0, v1 is served by every broker
//! from 1.1 on), asking for every log dir and every partition (`topics = null`).
//!
//! Only `PLAINTEXT` connections are spoken today. For `SSL` and `SASL_*` clusters the caller
//! gets [`LogDirsError::UnsupportedSecurity`] and records sizes as unknown, with that reason.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use thiserror::Error;

/// Why the sizes of one broker could not be read.
#[derive(Debug, Error)]
pub enum LogDirsError {
    /// The connection's security protocol is not spoken by this client yet.
    #[error("partition sizes over {0} are not supported yet (DescribeLogDirs is only spoken over PLAINTEXT)")]
    UnsupportedSecurity(String),
    /// The broker could not be reached or the connection broke.
    #[error("broker {broker}: {source}")]
    Io {
        /// `host:port`.
        broker: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The broker answered with an error code (31: cluster authorization failed).
    #[error("broker {broker} refused DescribeLogDirs: error code {code}{}", if *.code == 31 { " (CLUSTER_AUTHORIZATION_FAILED: Describe on the cluster is needed)" } else { "" })]
    Refused {
        /// `host:port`.
        broker: String,
        /// Kafka error code.
        code: i16,
    },
    /// The answer could not be decoded.
    #[error("broker {broker}: malformed DescribeLogDirs response")]
    Malformed {
        /// `host:port`.
        broker: String,
    },
}

impl LogDirsError {
    /// True when the principal lacks the permission (a gap, not a failure).
    pub fn is_not_authorized(&self) -> bool {
        matches!(self, LogDirsError::Refused { code: 31, .. })
    }
}

/// Size in bytes of every replica a broker holds: `(topic, partition) → bytes`, summed over its
/// log dirs; replicas being moved between dirs (`isFuture`) are left out.
pub type ReplicaSizes = BTreeMap<(String, i32), u64>;

const API_KEY: i16 = 35;
const API_VERSION: i16 = 1;

/// Reads the replica sizes of one broker.
pub fn describe_log_dirs(
    security_protocol: &str,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<ReplicaSizes, LogDirsError> {
    if !security_protocol.eq_ignore_ascii_case("plaintext") {
        return Err(LogDirsError::UnsupportedSecurity(
            security_protocol.to_ascii_uppercase(),
        ));
    }
    let broker = format!("{host}:{port}");
    let io = |source| LogDirsError::Io {
        broker: broker.clone(),
        source,
    };
    let addr = (host, port)
        .to_socket_addrs()
        .map_err(io)?
        .next()
        .ok_or_else(|| io(std::io::Error::other("no address")))?;
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(io)?;
    stream.set_read_timeout(Some(timeout)).map_err(io)?;
    stream.set_write_timeout(Some(timeout)).map_err(io)?;
    stream.write_all(&request(1)).map_err(io)?;
    let mut len = [0u8; 4];
    stream.read_exact(&mut len).map_err(io)?;
    let len = usize::try_from(i32::from_be_bytes(len)).unwrap_or(0);
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).map_err(io)?;
    parse_response(&body, 1).map_err(|e| match e {
        Parse::Refused(code) => LogDirsError::Refused {
            broker: broker.clone(),
            code,
        },
        Parse::Malformed => LogDirsError::Malformed {
            broker: broker.clone(),
        },
    })
}

/// The framed request: size, header v1, body `topics = null`.
fn request(correlation_id: i32) -> Vec<u8> {
    let client_id = b"diskless-migrator";
    let mut body = Vec::new();
    body.extend_from_slice(&API_KEY.to_be_bytes());
    body.extend_from_slice(&API_VERSION.to_be_bytes());
    body.extend_from_slice(&correlation_id.to_be_bytes());
    body.extend_from_slice(&(client_id.len() as i16).to_be_bytes());
    body.extend_from_slice(client_id);
    body.extend_from_slice(&(-1i32).to_be_bytes());
    let mut framed = Vec::with_capacity(body.len() + 4);
    framed.extend_from_slice(&(body.len() as i32).to_be_bytes());
    framed.extend_from_slice(&body);
    framed
}

enum Parse {
    Refused(i16),
    Malformed,
}

struct Reader<'a> {
    buf: &'a [u8],
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Result<[u8; N], Parse> {
        if self.buf.len() < N {
            return Err(Parse::Malformed);
        }
        let (head, rest) = self.buf.split_at(N);
        self.buf = rest;
        head.try_into().map_err(|_| Parse::Malformed)
    }
    fn i16(&mut self) -> Result<i16, Parse> {
        Ok(i16::from_be_bytes(self.take()?))
    }
    fn i32(&mut self) -> Result<i32, Parse> {
        Ok(i32::from_be_bytes(self.take()?))
    }
    fn i64(&mut self) -> Result<i64, Parse> {
        Ok(i64::from_be_bytes(self.take()?))
    }
    fn string(&mut self) -> Result<String, Parse> {
        let len = self.i16()?;
        let len = usize::try_from(len).map_err(|_| Parse::Malformed)?;
        if self.buf.len() < len {
            return Err(Parse::Malformed);
        }
        let (head, rest) = self.buf.split_at(len);
        self.buf = rest;
        String::from_utf8(head.to_vec()).map_err(|_| Parse::Malformed)
    }
    fn array_len(&mut self) -> Result<usize, Parse> {
        // A null array (-1) holds nothing.
        Ok(usize::try_from(self.i32()?).unwrap_or(0))
    }
}

/// Decodes a response body (after the size prefix): header v0, `DescribeLogDirs` v1.
fn parse_response(body: &[u8], correlation_id: i32) -> Result<ReplicaSizes, Parse> {
    let mut r = Reader { buf: body };
    if r.i32()? != correlation_id {
        return Err(Parse::Malformed);
    }
    let _throttle = r.i32()?;
    let mut sizes = ReplicaSizes::new();
    for _ in 0..r.array_len()? {
        let error = r.i16()?;
        let _dir = r.string()?;
        let topics = r.array_len()?;
        if error != 0 && topics == 0 {
            // A whole-request refusal is reported on every dir entry; an offline dir holds nothing.
            if error == 31 {
                return Err(Parse::Refused(error));
            }
            continue;
        }
        for _ in 0..topics {
            let topic = r.string()?;
            for _ in 0..r.array_len()? {
                let partition = r.i32()?;
                let size = r.i64()?;
                let _lag = r.i64()?;
                let future = r.take::<1>()?[0] != 0;
                if !future {
                    *sizes.entry((topic.clone(), partition)).or_default() += u64::try_from(size).unwrap_or(0);
                }
            }
        }
    }
    Ok(sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as i16).to_be_bytes());
        out.extend_from_slice(s.as_bytes());
    }

    #[test]
    fn request_asks_for_all_topics() {
        let r = request(7);
        assert_eq!(&r[..4], &((r.len() - 4) as i32).to_be_bytes());
        assert_eq!(&r[4..6], &35i16.to_be_bytes());
        assert_eq!(&r[r.len() - 4..], &(-1i32).to_be_bytes());
    }

    #[test]
    fn response_sums_dirs_and_skips_future_replicas() {
        let mut b = Vec::new();
        b.extend_from_slice(&1i32.to_be_bytes()); // correlation id
        b.extend_from_slice(&0i32.to_be_bytes()); // throttle
        b.extend_from_slice(&2i32.to_be_bytes()); // two dirs
        for (future, size) in [(false, 100i64), (true, 999)] {
            b.extend_from_slice(&0i16.to_be_bytes());
            string(&mut b, "/data");
            b.extend_from_slice(&1i32.to_be_bytes());
            string(&mut b, "events-2024");
            b.extend_from_slice(&1i32.to_be_bytes());
            b.extend_from_slice(&3i32.to_be_bytes());
            b.extend_from_slice(&size.to_be_bytes());
            b.extend_from_slice(&0i64.to_be_bytes());
            b.push(u8::from(future));
        }
        let sizes = parse_response(&b, 1).ok().unwrap();
        assert_eq!(sizes.get(&("events-2024".into(), 3)), Some(&100));
        assert_eq!(sizes.len(), 1);
    }
}
