-- The ticket list's search by a whole address (3-2-1502) looks the unit up across projects (a
-- caller's unit, whatever project is active); the unique index leads with the project and
-- cannot serve it, so every unit was scanned (35 ms at 168,000 units). Room first: it is the
-- most selective part of an address.
CREATE INDEX unit_address ON unit(room, building, entrance);
