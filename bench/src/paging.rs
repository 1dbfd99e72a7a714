//! Pagination at scale: the runtime's pager against a hand-written `skip`/`count` loop over raw reqwest.
//!
//! Both walk the AVEVA collection of the tenant named by the number of its identities (see
//! [`crate::server`]), `page_size` identities a page, decode each page into the generated
//! `AutomationIdentity` struct, and drop every item after counting it: neither collects.

use idprov_aveva_connect as aveva;
use reqwest::header::ACCEPT;

use crate::BoxError;
use crate::variants::raw_decode;

/// The page size both walks ask for (AVEVA's documented default `count`).
pub const PAGE_SIZE: std::num::NonZeroU32 = aveva::DEFAULT_PAGE_SIZE;

/// The tenant id whose collection has `items` identities.
pub fn tenant_of(items: u64) -> String {
    items.to_string()
}

/// The runtime's pager (`Client::automation_identities`), drained with `count_all`.
pub async fn runtime_pager(client: &aveva::Client, items: u64) -> Result<u64, BoxError> {
    let tenant = tenant_of(items);
    Ok(
        idprov_runtime::paginate::count_all(client.automation_identities(&tenant, PAGE_SIZE))
            .await?,
    )
}

/// The hand-written loop: `GET …/AutomationIdentities?skip=S&count=C` until a short page, each page decoded
/// with `serde_json` and its items dropped one by one.
pub async fn hand_loop(http: &reqwest::Client, base: &str, items: u64) -> Result<u64, BoxError> {
    let tenant = tenant_of(items);
    let url = format!("{base}/api/v1/Tenants/{tenant}/AutomationIdentities");
    let count = i64::from(PAGE_SIZE.get());
    let mut skip: i64 = 0;
    let mut seen = 0u64;
    loop {
        let page: Vec<aveva::types::AutomationIdentity> = raw_decode(
            http.get(&url)
                .header(ACCEPT, "application/json")
                .query(&[("skip", skip), ("count", count)]),
            200,
        )
        .await?;
        let n = page.len() as i64;
        for item in page {
            std::hint::black_box(item);
            seen += 1;
        }
        skip += n;
        if n < count {
            return Ok(seen);
        }
    }
}

/// What the paired pagination benchmark (`benches/pagination_paired.rs`) measured.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PairedPagination {
    /// Items per walk.
    pub items: u64,
    /// Rounds (each walks once each way).
    pub rounds: usize,
    /// Wall time of the hand-written loop's walks, ms.
    pub loop_ms: crate::calls::Summary,
    /// Wall time of the pager's walks, ms.
    pub pager_ms: crate::calls::Summary,
    /// Pager / loop within each round, wall time.
    pub ratio: crate::calls::Summary,
    /// Pager / loop within each round, CPU time of the benchmark thread.
    pub cpu_ratio: crate::calls::Summary,
}

/// The raw reqwest client the hand-written loop uses: the runtime's settings and the bench token.
pub fn hand_loop_client() -> Result<reqwest::Client, crate::BoxError> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {}", crate::server::ACCESS_TOKEN).parse()?,
    );
    crate::variants::http_client(headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::Server;
    use crate::variants::runtime_clients;

    #[test]
    fn both_walks_see_every_item_once() {
        let rt = crate::client_runtime().unwrap();
        let server = Server::start_on(&rt).unwrap();
        let base = server.base_url();
        let clients = runtime_clients(&base).unwrap();
        let http = hand_loop_client().unwrap();
        rt.block_on(async {
            for items in [0, 1, 100, 250] {
                assert_eq!(runtime_pager(&clients.aveva, items).await.unwrap(), items);
                assert_eq!(hand_loop(&http, &base, items).await.unwrap(), items);
            }
        });
    }
}
