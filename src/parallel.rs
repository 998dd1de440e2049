//! Work split over the machine's cores, for the steps whose cost grows with the topic count.

/// Applies `work` to consecutive chunks of `items`, one chunk per core, on scoped threads, and
/// returns the results in the order of the chunks. With one core, or nothing to do, `work`
/// runs once on the calling thread.
pub fn chunks_on_all_cores<T: Sync, R: Send>(items: &[T], work: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads == 1 || items.len() < 2 {
        return vec![work(items)];
    }
    let chunk = items.len().div_ceil(threads);
    let work = &work;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || work(part)))
            .collect();
        parts
            .into_iter()
            .map(|part| {
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_and_cover_every_item() {
        let items: Vec<u32> = (0..1001).collect();
        let parts = chunks_on_all_cores(&items, |part| part.to_vec());
        assert_eq!(parts.concat(), items);
        assert_eq!(chunks_on_all_cores(&[] as &[u32], <[u32]>::len), [0]);
    }
}
