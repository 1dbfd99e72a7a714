//! Helpers shared by the xtask tests: throwaway directories and a small spec.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A directory under the system temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new empty directory whose name starts with `prefix`.
    pub fn new(prefix: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let dir = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        Self(dir)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes `text` to `path`, creating directories.
pub fn put(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Reads `path` to a string.
pub fn get(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// A small spec that lints clean and generates: a path parameter, a query parameter, a JSON body, uuid and
/// date-time formats, documented errors, a server with a variable and bearer security.
pub const SPEC: &str = r#"openapi: 3.0.3
info:
  title: Throwaway API — widgets
  version: 1.0.0
servers:
  - url: https://{tenant}.widgets.example.com/v2
    variables:
      tenant:
        default: demo
security:
  - bearer: []
paths:
  /widgets:
    get:
      operationId: list_widgets
      parameters:
        - name: pageSize
          in: query
          schema:
            type: integer
            format: int32
            minimum: 1
      responses:
        '200':
          description: The widgets.
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/Widget'
        '401':
          $ref: '#/components/responses/Error'
    post:
      operationId: create_widget
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/CreateWidgetRequest'
            example:
              name: sprocket
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Widget'
        '4XX':
          $ref: '#/components/responses/Error'
  /widgets/{widgetId}:
    get:
      operationId: get_widget
      parameters:
        - name: widgetId
          in: path
          required: true
          schema:
            type: string
            format: uuid
      responses:
        '200':
          description: The widget.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Widget'
        '404':
          $ref: '#/components/responses/Error'
components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
  responses:
    Error:
      description: An error.
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
  schemas:
    CreateWidgetRequest:
      type: object
      required: [name]
      properties:
        name:
          type: string
    Widget:
      type: object
      required: [id, name]
      properties:
        id:
          type: string
          format: uuid
        name:
          type: string
        created_at:
          type: string
          format: date-time
      example:
        id: 05505650-aa57-49ab-8f19-429738758895
        name: sprocket
        created_at: '2024-01-09T05:45:33Z'
    Error:
      type: object
      properties:
        code:
          type: string
        message:
          type: string
"#;
