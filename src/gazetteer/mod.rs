//! The gazetteer: persons, places, organisations and events with their names.
//! (STUB: the knowledge owner fills this in.)

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Organisation,
    Event,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    pub kind: EntityKind,
    pub preferred: String,
}

#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    pub entities: Vec<Entity>,
}

impl Gazetteer {
    /// The embedded default gazetteer (Korea 1945–1953).
    pub fn embedded() -> Gazetteer {
        Gazetteer::default()
    }
}
