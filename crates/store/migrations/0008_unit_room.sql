-- Callers often give only the room ("1502") or the building and the room ("3号楼1502"): the
-- intake search looks units up by room within the project, through this index, never by a scan.
CREATE INDEX unit_room ON unit(project_id, room, building);
