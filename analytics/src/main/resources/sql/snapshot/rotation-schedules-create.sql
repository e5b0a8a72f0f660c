-- rotation_schedules: the longest gap each inventoried secret's rotation schedule leaves between two rotations;
-- filled by the snapshot (see RotationSchedule). schedule: the ScheduleExpression, or AutomaticallyAfterDays=N;
-- interval_minutes NULL: it fires at most once more (on last_firing, or never), or problem says why it was not read.
CREATE OR REPLACE TEMP TABLE rotation_schedules (arn VARCHAR NOT NULL, schedule VARCHAR NOT NULL,
    interval_minutes BIGINT, interval_text VARCHAR, last_firing TIMESTAMP, problem VARCHAR)
