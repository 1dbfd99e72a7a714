//! Walking workflow actions page by page (`offset`/`limit`), with any of the list's own filters.

use std::num::NonZeroU32;

use futures::Stream;
use idprov_runtime::paginate::query_int;

use crate::{Client, Error, builder, types};

impl<'a> builder::ListWorkflowActions<'a> {
    /// Every workflow action this list call selects (its `workflow_id`, `order` and `metadata`), fetched
    /// `page_size` at a time as the stream is consumed. An `offset` or `limit` set on the builder is replaced.
    pub fn stream(
        self,
        page_size: NonZeroU32,
    ) -> impl Stream<Item = Result<types::WorkflowAction, Error>> + 'a {
        idprov_runtime::paginate::offset_pages(u64::from(page_size.get()), move |offset, _| {
            let call = self.clone();
            async move {
                let page = call
                    .offset(query_int::<i32>(offset, "offset")?)
                    .limit(page_size)
                    .send()
                    .await?;
                Ok(page.into_inner().workflow_actions.into_vec())
            }
        })
    }
}

impl Client {
    /// Every workflow action of `workflow_id`, `page_size` at a time (see
    /// [`builder::ListWorkflowActions::stream`], which also takes the list's filters).
    pub fn workflow_actions(
        &self,
        workflow_id: uuid::Uuid,
        page_size: NonZeroU32,
    ) -> impl Stream<Item = Result<types::WorkflowAction, Error>> + '_ {
        self.list_workflow_actions()
            .workflow_id(workflow_id)
            .stream(page_size)
    }
}
