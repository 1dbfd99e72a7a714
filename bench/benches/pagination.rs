//! Part 3: stream 100,000 AVEVA automation identities from the loopback server, through the runtime's
//! pager and through a hand-written skip/count loop over raw reqwest (peak memory: `pager-rss`, see
//! BENCHMARKS.md).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use idprov_bench::paging::{hand_loop, hand_loop_client, runtime_pager};
use idprov_bench::server::Server;
use idprov_bench::variants::runtime_clients;

const ITEMS: u64 = 100_000;

fn pagination(c: &mut Criterion) {
    let rt = idprov_bench::client_runtime().expect("client runtime");
    let server = Server::start_for_bench(&rt).expect("loopback server");
    let base = server.base_url();
    let clients = runtime_clients(&base).expect("clients");
    let http = hand_loop_client().expect("http client");

    let mut group = c.benchmark_group("pagination_100k");
    group.throughput(Throughput::Elements(ITEMS));
    group.sample_size(10);
    group.bench_function("a_hand_loop", |b| {
        b.to_async(&rt).iter(|| async {
            assert_eq!(hand_loop(&http, &base, ITEMS).await.unwrap(), ITEMS);
        });
    });
    group.bench_function("c_runtime_pager", |b| {
        b.to_async(&rt).iter(|| async {
            assert_eq!(runtime_pager(&clients.aveva, ITEMS).await.unwrap(), ITEMS);
        });
    });
    group.finish();
    drop(server);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = pagination
}
criterion_main!(benches);
