//! Part 1: the three calls, four ways, at concurrency 1 (time per call) and 64 (time of 64 calls, so
//! criterion's throughput is calls per second). Every variant of every call runs in this one process
//! against the same loopback server, so the ratios compare like with like.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use idprov_bench::examples::Examples;
use idprov_bench::report::{WORKERS, group_c1, group_c64};
use idprov_bench::server::Server;
use idprov_bench::variants::{Clients, Op, Variant, run_concurrent};

fn calls(c: &mut Criterion) {
    let server = Server::start().expect("loopback server");
    let examples = Examples::from_specs().expect("spec examples");
    let rt = idprov_bench::client_runtime().expect("client runtime");
    let clients = Clients::new(&server.base_url(), &examples).expect("clients");
    // One call of each kind first: connections open, OAuth2 tokens fetched.
    rt.block_on(async {
        for variant in Variant::ALL {
            for op in Op::ALL {
                clients.call(variant, op).await.expect("warm-up call");
            }
        }
    });

    for op in Op::ALL {
        let mut group = c.benchmark_group(group_c1(op));
        group.throughput(Throughput::Elements(1));
        for variant in Variant::ALL {
            group.bench_function(variant.id(), |b| {
                b.to_async(&rt)
                    .iter(|| async { clients.call(variant, op).await.expect("call") });
            });
        }
        group.finish();
    }

    for op in Op::ALL {
        let mut group = c.benchmark_group(group_c64(op));
        group.throughput(Throughput::Elements(WORKERS as u64));
        group.sample_size(20);
        for variant in Variant::ALL {
            group.bench_function(variant.id(), |b| {
                b.to_async(&rt).iter_custom(|iters| {
                    let clients = clients.clone();
                    async move {
                        run_concurrent(&clients, variant, op, WORKERS, iters)
                            .await
                            .expect("concurrent calls")
                    }
                });
            });
        }
        group.finish();
    }
    drop(clients);
    drop(server);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = calls
}
criterion_main!(benches);
