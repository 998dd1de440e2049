//! `DescribeUserScramCredentials` v0 (flexible; Kafka 2.7 and later): every user with SCRAM
//! credentials, and per credential its mechanism and iteration count. Salts and salted passwords
//! are not part of the response: nothing secret is read. Needs `Describe` on the cluster.

use super::codec::{Malformed, Reader, Writer};
use super::connection::{Connection, WireError};

const API_KEY: i16 = 50;
const API_VERSION: i16 = 0;
const API: &str = "DescribeUserScramCredentials";

/// One user's SCRAM credentials: `(mechanism, iterations)` per credential, sorted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UserCredentials {
    /// User name.
    pub user: String,
    /// `SCRAM-SHA-256` or `SCRAM-SHA-512` (or `UNKNOWN(n)`) and the iteration count.
    pub credentials: Vec<(String, i32)>,
}

/// Reads every user's SCRAM credentials, sorted by user. A refusal (e.g. code 31, cluster
/// authorization failed) is [`WireError::Refused`].
pub fn describe_user_scram_credentials(
    connection: &mut Connection,
) -> Result<Vec<UserCredentials>, WireError> {
    let mut users = connection.request_parsed(API, API_KEY, API_VERSION, true, &request(), parse_response)?;
    users.sort();
    Ok(users)
}

/// The body: `Users` empty, which brokers read as every user (as the Java admin client asks);
/// no tags. (A null list, which the schema also allows, makes a broker that refuses the request
/// fail to build its error response, and the answer never comes.)
fn request() -> Vec<u8> {
    let mut w = Writer::new();
    w.compact_array_len(Some(0)).no_tags();
    w.into_bytes()
}

/// Kafka's error code for a user without SCRAM credentials (`RESOURCE_NOT_FOUND`), which a
/// listing of every user does not return but is skipped should it come.
const RESOURCE_NOT_FOUND: i16 = 91;

fn parse_response(body: &[u8]) -> Result<Result<Vec<UserCredentials>, i16>, Malformed> {
    let mut r = Reader::new(body);
    let _throttle = r.i32()?;
    let error = r.i16()?;
    let _message = r.compact_nullable_string()?;
    if error != 0 {
        return Ok(Err(error));
    }
    let mut out = Vec::new();
    for _ in 0..r.compact_array_len()? {
        let user = r.compact_string()?;
        let code = r.i16()?;
        let _message = r.compact_nullable_string()?;
        let mut credentials = Vec::new();
        for _ in 0..r.compact_array_len()? {
            let mechanism = match r.i8()? {
                1 => "SCRAM-SHA-256".to_owned(),
                2 => "SCRAM-SHA-512".to_owned(),
                other => format!("UNKNOWN({other})"),
            };
            let iterations = r.i32()?;
            r.skip_tags()?;
            credentials.push((mechanism, iterations));
        }
        r.skip_tags()?;
        match code {
            0 => {
                credentials.sort();
                out.push(UserCredentials { user, credentials });
            }
            RESOURCE_NOT_FOUND => {}
            other => return Ok(Err(other)),
        }
    }
    r.skip_tags()?;
    Ok(Ok(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compact(out: &mut Vec<u8>, s: &str) {
        out.push((s.len() + 1) as u8);
        out.extend_from_slice(s.as_bytes());
    }

    #[test]
    fn the_request_asks_for_every_user() {
        assert_eq!(request(), vec![1, 0]);
    }

    #[test]
    fn users_mechanisms_and_iterations_are_read() {
        let mut b = Vec::new();
        b.extend_from_slice(&0i32.to_be_bytes()); // throttle
        b.extend_from_slice(&0i16.to_be_bytes()); // error
        b.push(0); // no message
        b.push(2); // one result
        compact(&mut b, "alice");
        b.extend_from_slice(&0i16.to_be_bytes());
        b.push(0); // no message
        b.push(3); // two credentials
        b.push(2);
        b.extend_from_slice(&8192i32.to_be_bytes());
        b.push(0);
        b.push(1);
        b.extend_from_slice(&4096i32.to_be_bytes());
        b.push(0);
        b.push(0); // result tags
        b.push(0); // top tags
        let users = parse_response(&b).unwrap().unwrap();
        assert_eq!(
            users,
            vec![UserCredentials {
                user: "alice".into(),
                credentials: vec![("SCRAM-SHA-256".into(), 4096), ("SCRAM-SHA-512".into(), 8192)],
            }]
        );
    }

    #[test]
    fn a_refusal_keeps_its_code() {
        let mut b = Vec::new();
        b.extend_from_slice(&0i32.to_be_bytes());
        b.extend_from_slice(&31i16.to_be_bytes());
        b.push(0);
        b.push(1); // no results
        b.push(0);
        assert_eq!(parse_response(&b), Ok(Err(31)));
    }
}
