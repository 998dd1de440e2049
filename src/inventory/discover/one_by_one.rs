//! Consumer groups through librdkafka, for clusters that do not speak the batched requests
//! (brokers before 3.0): one `FindCoordinator`, describe and `OffsetFetch` per group.

use crate::inventory::model::*;
use crate::kafka::admin::{Admin, AdminError, GroupListing};

use super::GapFn;

/// Describes `listed` groups and reads their committed offsets with librdkafka.
pub fn groups(
    admin: &Admin,
    listed: &[GroupListing],
    gap: &mut GapFn<'_>,
) -> Result<Vec<ConsumerGroup>, AdminError> {
    let ids: Vec<String> = listed.iter().map(|g| g.id.clone()).collect();
    let described = admin.describe_consumer_groups(&ids)?;
    let offsets = admin.list_consumer_group_offsets(&ids)?;
    let mut out = Vec::with_capacity(ids.len());
    for ((listing, description), offsets) in listed.iter().zip(described).zip(offsets) {
        let mut group = ConsumerGroup {
            id: listing.id.clone(),
            state: Some(listing.state.clone()),
            ..ConsumerGroup::default()
        };
        match description.result {
            Ok(d) => {
                group.state = Some(d.state);
                group.protocol_type = Some(if d.is_simple {
                    String::new()
                } else {
                    "consumer".into()
                });
                if !d.is_simple {
                    group.streams_application_id =
                        super::groups::streams_application(&listing.id, "consumer", &d.partition_assignor);
                }
                group.assignment_strategy = Some(d.partition_assignor).filter(|s| !s.is_empty());
                group.coordinator = d.coordinator.map(|c| c.id);
                group.members = Some(
                    d.members
                        .into_iter()
                        .map(|m| Member::described(m.member_id, m.client_id, m.host, m.assignment))
                        .collect(),
                );
            }
            Err(e) if e.is_fatal() => return Err(e),
            Err(e) => gap("consumer_group", Some(listing.id.clone()), e.to_string()),
        }
        match offsets.result {
            Ok(map) => {
                group.offsets = Some(
                    map.into_iter()
                        .map(|((topic, partition), offset)| CommittedOffset {
                            topic,
                            partition,
                            offset,
                        })
                        .collect(),
                )
            }
            Err(e) if e.is_fatal() => return Err(e),
            Err(e) => gap("group_offsets", Some(listing.id.clone()), e.to_string()),
        }
        out.push(group);
    }
    Ok(out)
}
