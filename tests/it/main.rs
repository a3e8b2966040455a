//! The integration tests: the app over HTTP on a real database, SQLite and PostgreSQL.

mod harness;

mod access;
mod auth;
mod browser;
mod browser_minutes;
mod calendar;
mod cli;
mod concurrent_edits;
mod dashboard;
mod dashboard_sessions;
mod documents;
mod edge;
mod forms;
mod grants;
mod headers;
mod hostile;
mod members;
mod migrations;
mod minutes;
mod minutes_after;
mod model_delegates;
mod model_sessions;
mod notifications;
mod operation;
mod orgs;
mod pages;
mod papers;
mod plans;
mod review;
mod rows;
mod sessions;
mod speed;
mod states;
mod storage;
mod typesetting;
