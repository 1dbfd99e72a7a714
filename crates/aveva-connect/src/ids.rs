//! The id an automation identity answer carries, which the next call (get, update, delete) needs.

use idprov_runtime::ErrorKind;

use crate::Error;
use crate::types::AutomationIdentity;

impl AutomationIdentity {
    /// This identity's `Id`. AVEVA documents it as optional; an answer without it is a
    /// [`ErrorKind::Decode`] error naming the field, never a made-up id.
    pub fn identity_id(&self) -> Result<uuid::Uuid, Error> {
        self.id.ok_or_else(|| {
            Error::new(
                ErrorKind::Decode,
                "the automation identity in the answer has no Id",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_read_or_its_absence_is_an_error_naming_it() {
        let with: AutomationIdentity = serde_json::from_value(
            serde_json::json!({"Id": "0b6f7a55-9c0e-4a57-8a51-3d1f3e0b2c11"}),
        )
        .unwrap();
        assert_eq!(
            with.identity_id().unwrap().to_string(),
            "0b6f7a55-9c0e-4a57-8a51-3d1f3e0b2c11"
        );
        let without: AutomationIdentity = serde_json::from_value(serde_json::json!({})).unwrap();
        let err = without.identity_id().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert!(err.message().contains("Id"), "{err}");
    }
}
