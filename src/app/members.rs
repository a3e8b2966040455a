//! Members of a cell: adding, editing (and linking an account), importing.

pub use crate::db::members::{
    CreateError, Update, UpdateError, create, get, import, list, search, update,
};
pub use crate::db::users::find_by_login;
