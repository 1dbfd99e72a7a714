//! Walking the workflow actions of a workflow page by page (`offset`/`limit`).

use std::num::NonZeroU32;

use futures::Stream;

use crate::{Client, Error, types};

impl Client {
    /// Every workflow action of `workflow_id`, fetched `page_size` at a time as the stream is consumed.
    pub fn workflow_actions(
        &self,
        workflow_id: uuid::Uuid,
        page_size: NonZeroU32,
    ) -> impl Stream<Item = Result<types::WorkflowAction, Error>> + '_ {
        idprov_runtime::paginate::offset_pages(
            u64::from(page_size.get()),
            move |offset, _limit| async move {
                let offset = idprov_runtime::paginate::query_int::<i32>(offset, "offset")?;
                let page = self
                    .list_workflow_actions()
                    .workflow_id(workflow_id)
                    .offset(offset)
                    .limit(page_size)
                    .send()
                    .await?;
                Ok(page.into_inner().workflow_actions)
            },
        )
    }
}
