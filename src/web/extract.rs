//! axum's `Path`, `Form` and `Query`, with rejections turned into our Vietnamese error pages: a
//! malformed id is a page that does not exist, a malformed form is a bad request. Every value a
//! form or a query string carries is made clean ([`text::clean`]) here, once, before any
//! parsing; and a field sent twice counts once, with its first value, as browsers send it first.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::AppError;
use crate::domain::text;

pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|_| AppError::NotFound)
    }
}

/// Name and value pairs, each made clean.
fn cleaned(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    let clean = |s: String| match text::clean(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(cleaned) => cleaned,
    };
    pairs
        .into_iter()
        .map(|(name, value)| (clean(name), clean(value)))
        .collect()
}

/// Reads `pairs` into a struct. A struct's field holds one value (the url-encoded format has no
/// lists for structs), so a repeated name keeps its first value rather than failing the form.
fn into_struct<T: DeserializeOwned>(pairs: Vec<(String, String)>) -> Result<T, AppError> {
    let mut seen = std::collections::HashSet::new();
    let first: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(name, _)| seen.insert(name.as_str()))
        .collect();
    let encoded = serde_urlencoded::to_string(&first).map_err(|_| AppError::BadRequest)?;
    serde_urlencoded::from_str(&encoded).map_err(|_| AppError::BadRequest)
}

pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let Fields(pairs) = Fields::from_request(request, state).await?;
        into_struct(pairs).map(Form)
    }
}

/// A query string read into a struct, like [`Form`].
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Query(pairs) =
            axum::extract::Query::<Vec<(String, String)>>::from_request_parts(parts, state)
                .await
                .map_err(|_| AppError::BadRequest)?;
        into_struct(cleaned(pairs)).map(Query)
    }
}

/// A form read as its raw fields, for forms with repeated and numbered fields (table rows,
/// multiple selections) that a flat struct cannot describe.
pub struct Fields(Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        axum::Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map(|axum::Form(pairs)| Fields(cleaned(pairs)))
            .map_err(|_| AppError::BadRequest)
    }
}

impl Fields {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or("")
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// The row numbers `n` for which a field `{prefix}{n}` was sent, ascending.
    pub fn rows(&self, prefix: &str) -> Vec<usize> {
        let mut rows: Vec<usize> = self
            .0
            .iter()
            .filter_map(|(key, _)| key.strip_prefix(prefix)?.parse().ok())
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }
}
