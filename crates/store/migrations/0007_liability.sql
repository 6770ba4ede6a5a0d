-- 责任施工单位: which builder contract — a deposit ledger of the fund — answers for which part
-- class of a delivery batch, so the warranty verdict can name the liable builder, its defect
-- liability end and its deposit balance. part_class '' is the batch's general contractor: every
-- class without a row of its own. One row per batch and class (a second one is an overlap).
CREATE TABLE liability (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL REFERENCES batch(id),
    part_class  TEXT NOT NULL DEFAULT '' CHECK (part_class IN ('', 'Structure', 'RoofWaterproofing', 'WetRoomLeak',
                    'WallFloorPipeLeak', 'PlasterFalling', 'FloorHollowCrack', 'DoorWindow', 'PipeBlockage',
                    'HeatingCooling', 'SanitaryWare', 'LampsSwitches', 'ElectricalPlumbingInstall', 'Decoration', 'Other')),
    ledger_id   INTEGER NOT NULL REFERENCES fund_ledger(id),
    UNIQUE (batch_id, part_class)
);
CREATE INDEX liability_ledger ON liability(ledger_id);

-- A commission charged to another deposit than the liable builder's, or after that builder's
-- defect liability period, says why; the payment request prints it.
ALTER TABLE commission ADD COLUMN exception_reason TEXT NOT NULL DEFAULT '';
