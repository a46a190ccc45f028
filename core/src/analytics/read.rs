//! The requests from a binding's one argument: a JSON object in the shape of the request type
//! (absent or `null`: every default).

use super::model::{CoverageRequest, DemandRequest, WhiteZoneRequest};
use crate::error::Result;
use serde_json::Value;

fn read<T: serde::de::DeserializeOwned + Default>(value: Option<Value>) -> Result<T> {
    match value {
        None | Some(Value::Null) => Ok(T::default()),
        Some(v) => crate::error::from_value(v, "request"),
    }
}

impl CoverageRequest {
    /// The request from a binding's argument (fields as in the Rust type, `snake_case`).
    pub fn from_value(value: Option<Value>) -> Result<CoverageRequest> {
        read(value)
    }
}

impl WhiteZoneRequest {
    /// The request from a binding's argument.
    pub fn from_value(value: Option<Value>) -> Result<WhiteZoneRequest> {
        read(value)
    }
}

impl DemandRequest {
    /// The request from a binding's argument.
    pub fn from_value(value: Option<Value>) -> Result<DemandRequest> {
        read(value)
    }
}
