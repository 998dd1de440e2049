//! Every ACL binding from `DescribeAcls` v1 (non-flexible; served by every broker from 2.0 on).
//!
//! librdkafka's DescribeAcls drops the response's error code, so a principal without `Describe`
//! on the cluster reads as "no ACLs". Here the error code is read: a refusal is
//! [`WireError::Refused`], a cluster without an authorizer is `SECURITY_DISABLED` (code 54).

use super::codec::{Malformed, Reader, Writer};
use super::connection::{Connection, WireError};

const API_KEY: i16 = 29;
const API_VERSION: i16 = 1;
const API: &str = "DescribeAcls";

/// Kafka's error code for "no authorizer is configured".
pub const SECURITY_DISABLED: i16 = 54;

/// One ACL binding, its enums named as the Java admin client names them (`Topic`, `Read`, `Allow`,
/// `LITERAL`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct AclEntry {
    /// `Topic`, `Group`, `Cluster`, `TransactionalId`, `DelegationToken`, `User`.
    pub resource_type: String,
    /// Resource name or prefix.
    pub resource_name: String,
    /// `LITERAL` or `PREFIXED`.
    pub pattern_type: String,
    /// Principal, e.g. `User:alice`.
    pub principal: String,
    /// Host, `*` for any.
    pub host: String,
    /// Operation, e.g. `Read`.
    pub operation: String,
    /// `Allow` or `Deny`.
    pub permission_type: String,
}

/// Reads every ACL binding of the cluster behind `connection`, sorted. A missing `Describe`
/// permission on the cluster (code 31) and a cluster without an authorizer
/// ([`SECURITY_DISABLED`]) are [`WireError::Refused`] with that code.
pub fn describe_acls(connection: &mut Connection) -> Result<Vec<AclEntry>, WireError> {
    let mut acls = connection.request_parsed(API, API_KEY, API_VERSION, false, &request(), parse_response)?;
    acls.sort();
    Ok(acls)
}

/// The body: a filter that matches every binding (`ANY` everywhere, no names).
fn request() -> Vec<u8> {
    const ANY: i8 = 1;
    let mut w = Writer::new();
    w.i8(ANY) // resource type
        .nullable_string(None) // resource name
        .i8(ANY) // pattern type
        .nullable_string(None) // principal
        .nullable_string(None) // host
        .i8(ANY) // operation
        .i8(ANY); // permission type
    w.into_bytes()
}

/// Decodes a `DescribeAcls` v1 body; `Ok(Err(code))` when the request was refused.
fn parse_response(body: &[u8]) -> Result<Result<Vec<AclEntry>, i16>, Malformed> {
    let mut r = Reader::new(body);
    let _throttle = r.i32()?;
    let error = r.i16()?;
    let _message = r.nullable_string()?;
    if error != 0 {
        return Ok(Err(error));
    }
    let mut out = Vec::new();
    for _ in 0..r.array_len()? {
        let resource_type = resource_type_name(r.i8()?);
        let resource_name = r.string()?;
        let pattern_type = pattern_type_name(r.i8()?);
        for _ in 0..r.array_len()? {
            let principal = r.string()?;
            let host = r.string()?;
            let operation = operation_name(r.i8()?);
            let permission_type = permission_name(r.i8()?);
            out.push(AclEntry {
                resource_type: resource_type.clone(),
                resource_name: resource_name.clone(),
                pattern_type: pattern_type.clone(),
                principal,
                host,
                operation,
                permission_type,
            });
        }
    }
    Ok(Ok(out))
}

fn named(names: &[&str], code: i8) -> String {
    usize::try_from(code)
        .ok()
        .and_then(|i| names.get(i))
        .map_or_else(|| format!("Unknown({code})"), |n| (*n).to_owned())
}

/// Kafka's `ResourceType` codes.
fn resource_type_name(code: i8) -> String {
    named(
        &[
            "Unknown",
            "Any",
            "Topic",
            "Group",
            "Cluster",
            "TransactionalId",
            "DelegationToken",
            "User",
        ],
        code,
    )
}

/// Kafka's `PatternType` codes.
fn pattern_type_name(code: i8) -> String {
    named(&["UNKNOWN", "ANY", "MATCH", "LITERAL", "PREFIXED"], code)
}

/// Kafka's `AclOperation` codes.
fn operation_name(code: i8) -> String {
    named(
        &[
            "Unknown",
            "Any",
            "All",
            "Read",
            "Write",
            "Create",
            "Delete",
            "Alter",
            "Describe",
            "ClusterAction",
            "DescribeConfigs",
            "AlterConfigs",
            "IdempotentWrite",
            "CreateTokens",
            "DescribeTokens",
            "TwoPhaseCommit",
        ],
        code,
    )
}

/// Kafka's `AclPermissionType` codes.
fn permission_name(code: i8) -> String {
    named(&["Unknown", "Any", "Deny", "Allow"], code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as i16).to_be_bytes());
        out.extend_from_slice(s.as_bytes());
    }

    #[test]
    fn request_matches_every_binding() {
        let mut expected = vec![1u8];
        expected.extend_from_slice(&(-1i16).to_be_bytes());
        expected.push(1);
        expected.extend_from_slice(&(-1i16).to_be_bytes());
        expected.extend_from_slice(&(-1i16).to_be_bytes());
        expected.extend_from_slice(&[1, 1]);
        assert_eq!(request(), expected);
    }

    #[test]
    fn bindings_are_named_as_kafka_names_them() {
        let mut b = Vec::new();
        b.extend_from_slice(&0i32.to_be_bytes()); // throttle
        b.extend_from_slice(&0i16.to_be_bytes()); // error
        b.extend_from_slice(&(-1i16).to_be_bytes()); // no message
        b.extend_from_slice(&1i32.to_be_bytes()); // one resource
        b.push(2); // Topic
        string(&mut b, "payments.");
        b.push(4); // PREFIXED
        b.extend_from_slice(&1i32.to_be_bytes()); // one ACL
        string(&mut b, "User:billing");
        string(&mut b, "*");
        b.push(3); // Read
        b.push(3); // Allow
        let acls = parse_response(&b).unwrap().unwrap();
        assert_eq!(
            acls,
            vec![AclEntry {
                resource_type: "Topic".into(),
                resource_name: "payments.".into(),
                pattern_type: "PREFIXED".into(),
                principal: "User:billing".into(),
                host: "*".into(),
                operation: "Read".into(),
                permission_type: "Allow".into(),
            }]
        );
    }

    #[test]
    fn a_refusal_keeps_its_error_code() {
        let mut b = Vec::new();
        b.extend_from_slice(&0i32.to_be_bytes());
        b.extend_from_slice(&31i16.to_be_bytes());
        string(&mut b, "Cluster authorization failed.");
        b.extend_from_slice(&0i32.to_be_bytes());
        assert_eq!(parse_response(&b), Ok(Err(31)));
    }
}
