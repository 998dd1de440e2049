//! Describing many groups per request: `DescribeGroups` v5 for classic groups and
//! `ConsumerGroupDescribe` v0 for KIP-848 `consumer` groups. Both go to the groups' coordinator.

use super::codec::{Malformed, Reader, Writer};
use super::connection::{Connection, WireError};

/// A described group, in the terms of a classic `DescribeGroups` answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescribedGroup {
    /// Group id.
    pub group: String,
    /// Kafka error code (0: described).
    pub error: i16,
    /// State as Kafka's tools print it: `Stable`, `Empty`, `Dead`, `Assigning`, ...
    pub state: String,
    /// Protocol type: `consumer`, empty for a simple group, or another (`connect`).
    pub protocol_type: String,
    /// The protocol (assignment strategy) or, for KIP-848 groups, the server-side assignor.
    pub protocol: String,
    /// Members, sorted by member id.
    pub members: Vec<DescribedMember>,
}

/// One member of a described group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DescribedMember {
    /// Member id.
    pub member_id: String,
    /// Client id.
    pub client_id: String,
    /// Client host as the coordinator saw it.
    pub host: String,
    /// Assigned partitions, sorted (decoded for `consumer` groups only).
    pub assignment: Vec<(String, i32)>,
}

/// Describes classic groups with one `DescribeGroups` v5 request.
pub fn describe_groups(
    connection: &mut Connection,
    groups: &[String],
) -> Result<Vec<DescribedGroup>, WireError> {
    const API: &str = "DescribeGroups";
    let answer = connection.request(API, 15, 5, true, &request(groups))?;
    parse_describe_groups(&answer).map_err(|Malformed| connection.malformed(API))
}

/// Describes KIP-848 consumer groups with one `ConsumerGroupDescribe` v0 request.
pub fn consumer_group_describe(
    connection: &mut Connection,
    groups: &[String],
) -> Result<Vec<DescribedGroup>, WireError> {
    const API: &str = "ConsumerGroupDescribe";
    let answer = connection.request(API, 69, 0, true, &request(groups))?;
    parse_consumer_group_describe(&answer).map_err(|Malformed| connection.malformed(API))
}

/// Both requests have the same body: group ids, `include_authorized_operations = false`.
fn request(groups: &[String]) -> Vec<u8> {
    let mut w = Writer::new();
    w.compact_array_len(Some(groups.len()));
    for g in groups {
        w.compact_string(g);
    }
    w.bool(false).no_tags();
    w.into_bytes()
}

fn parse_describe_groups(body: &[u8]) -> Result<Vec<DescribedGroup>, Malformed> {
    let mut r = Reader::new(body);
    let _throttle = r.i32()?;
    let mut out = Vec::new();
    for _ in 0..r.compact_array_len()? {
        let mut g = DescribedGroup {
            error: r.i16()?,
            group: r.compact_string()?,
            state: r.compact_string()?,
            protocol_type: r.compact_string()?,
            protocol: r.compact_string()?,
            members: Vec::new(),
        };
        for _ in 0..r.compact_array_len()? {
            let member_id = r.compact_string()?;
            let _instance = r.compact_nullable_string()?;
            let client_id = r.compact_string()?;
            let host = r.compact_string()?;
            let _metadata = r.compact_bytes()?;
            let assignment = r.compact_bytes()?;
            r.skip_tags()?;
            let assignment = if g.protocol_type == "consumer" {
                consumer_assignment(assignment).unwrap_or_default()
            } else {
                Vec::new()
            };
            g.members.push(DescribedMember {
                member_id,
                client_id,
                host,
                assignment,
            });
        }
        let _operations = r.i32()?;
        r.skip_tags()?;
        g.members.sort_by(|a, b| a.member_id.cmp(&b.member_id));
        out.push(g);
    }
    r.skip_tags()?;
    Ok(out)
}

/// The consumer protocol's `Assignment` (classic, non-flexible encoding; any version):
/// `version`, then `[topic, [partition]]`, then user data (ignored).
fn consumer_assignment(bytes: &[u8]) -> Result<Vec<(String, i32)>, Malformed> {
    let mut out = Vec::new();
    if bytes.is_empty() {
        return Ok(out);
    }
    let mut r = Reader::new(bytes);
    let _version = r.i16()?;
    for _ in 0..r.array_len()? {
        let topic = r.string()?;
        for _ in 0..r.array_len()? {
            out.push((topic.clone(), r.i32()?));
        }
    }
    out.sort();
    Ok(out)
}

/// KIP-848 state names (`stable`, `assigning`, ...) as Kafka's tools print them.
fn state_name(state: &str) -> String {
    let mut chars = state.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn parse_consumer_group_describe(body: &[u8]) -> Result<Vec<DescribedGroup>, Malformed> {
    let mut r = Reader::new(body);
    let _throttle = r.i32()?;
    let mut out = Vec::new();
    for _ in 0..r.compact_array_len()? {
        let error = r.i16()?;
        let _message = r.compact_nullable_string()?;
        let group = r.compact_string()?;
        let state = state_name(&r.compact_string()?);
        let _group_epoch = r.i32()?;
        let _assignment_epoch = r.i32()?;
        let protocol = r.compact_string()?;
        let mut members = Vec::new();
        for _ in 0..r.compact_array_len()? {
            let member_id = r.compact_string()?;
            let _instance = r.compact_nullable_string()?;
            let _rack = r.compact_nullable_string()?;
            let _epoch = r.i32()?;
            let client_id = r.compact_string()?;
            let host = r.compact_string()?;
            for _ in 0..r.compact_array_len()? {
                let _subscribed = r.compact_string()?;
            }
            let _regex = r.compact_nullable_string()?;
            let assignment = kip848_assignment(&mut r)?;
            let _target = kip848_assignment(&mut r)?;
            r.skip_tags()?;
            members.push(DescribedMember {
                member_id,
                client_id,
                host,
                assignment,
            });
        }
        let _operations = r.i32()?;
        r.skip_tags()?;
        members.sort_by(|a, b| a.member_id.cmp(&b.member_id));
        out.push(DescribedGroup {
            group,
            error,
            state,
            protocol_type: "consumer".into(),
            protocol,
            members,
        });
    }
    r.skip_tags()?;
    Ok(out)
}

/// `Assignment` of `ConsumerGroupDescribe`: `[topic id, topic name, [partition]]`, tags.
fn kip848_assignment(r: &mut Reader<'_>) -> Result<Vec<(String, i32)>, Malformed> {
    let mut out = Vec::new();
    for _ in 0..r.compact_array_len()? {
        let _id = r.uuid()?;
        let topic = r.compact_string()?;
        for _ in 0..r.compact_array_len()? {
            out.push((topic.clone(), r.i32()?));
        }
        r.skip_tags()?;
    }
    r.skip_tags()?;
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classic_assignment() -> Vec<u8> {
        let mut a = Writer::new();
        a.i16(3)
            .array_len(Some(1))
            .string("events")
            .array_len(Some(2))
            .i32(1)
            .i32(0);
        a.i32(-1); // user data: null
        a.into_bytes()
    }

    #[test]
    fn request_names_groups_without_operations() {
        assert_eq!(request(&["g".into()]), vec![2, 2, b'g', 0, 0]);
    }

    #[test]
    fn describe_groups_round_trip() {
        let mut w = Writer::new();
        w.i32(0).compact_array_len(Some(1));
        w.i16(0)
            .compact_string("g-active")
            .compact_string("Stable")
            .compact_string("consumer")
            .compact_string("range");
        w.compact_array_len(Some(1));
        w.compact_string("m-1")
            .compact_array_len(None)
            .compact_string("client-a")
            .compact_string("/127.0.0.1")
            .compact_bytes(b"meta")
            .compact_bytes(&classic_assignment())
            .no_tags();
        w.i32(i32::MIN).no_tags();
        w.no_tags();
        let parsed = parse_describe_groups(&w.into_bytes()).unwrap();
        assert_eq!(
            parsed,
            vec![DescribedGroup {
                group: "g-active".into(),
                error: 0,
                state: "Stable".into(),
                protocol_type: "consumer".into(),
                protocol: "range".into(),
                members: vec![DescribedMember {
                    member_id: "m-1".into(),
                    client_id: "client-a".into(),
                    host: "/127.0.0.1".into(),
                    assignment: vec![("events".into(), 0), ("events".into(), 1)],
                }],
            }]
        );
    }

    #[test]
    fn consumer_group_describe_round_trip() {
        let mut w = Writer::new();
        w.i32(0).compact_array_len(Some(1));
        w.i16(0)
            .compact_array_len(None)
            .compact_string("g-848")
            .compact_string("reconciling");
        w.i32(4).i32(4).compact_string("uniform");
        w.compact_array_len(Some(1));
        w.compact_string("m-2")
            .compact_array_len(None)
            .compact_array_len(None)
            .i32(4);
        w.compact_string("client-b").compact_string("/10.0.0.2");
        w.compact_array_len(Some(1))
            .compact_string("events")
            .compact_array_len(None);
        for _ in 0..2 {
            // assignment and target assignment: events-2
            w.compact_array_len(Some(1));
            for _ in 0..16 {
                w.i8(7);
            }
            w.compact_string("events")
                .compact_array_len(Some(1))
                .i32(2)
                .no_tags();
            w.no_tags();
        }
        w.no_tags(); // member
        w.i32(i32::MIN).no_tags();
        w.no_tags();
        let parsed = parse_consumer_group_describe(&w.into_bytes()).unwrap();
        assert_eq!(parsed[0].state, "Reconciling");
        assert_eq!(parsed[0].protocol, "uniform");
        assert_eq!(parsed[0].members[0].assignment, vec![("events".into(), 2)]);
        assert_eq!(parsed[0].members[0].client_id, "client-b");
    }
}
