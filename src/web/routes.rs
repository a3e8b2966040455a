//! The route table: every area registers its paths here as well as in its router, so the
//! access matrix and the hostile-input sweep in the tests walk every route of the app, and a new
//! route is covered without editing them.

use axum::Router;
use axum::routing::MethodRouter;

use crate::AppState;

/// An area's routes: axum's router plus the paths it serves.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    paths: Vec<&'static str>,
}

impl Routes {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn route(mut self, path: &'static str, methods: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, methods);
        self.paths.push(path);
        self
    }

    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    pub fn paths(&self) -> &[&'static str] {
        &self.paths
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}
