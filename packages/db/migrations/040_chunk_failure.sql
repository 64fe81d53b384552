-- Why the last attempt at a chunk failed, when its worker was alive to say: the error that ended the
-- chunk's job (a statement the database refused for a reason that is not an outage, a bug), written
-- by that worker before its job fails (run-chunk.ts). A claim clears it. When the reconciler then
-- finds the chunk's lease expired for the last allowed time, its cells' error gives this reason
-- instead of "the worker running this cell stopped responding": seen with results the database
-- refused, where 8,361 cells said their worker had stopped responding while it was up throughout.
alter table chunks add column failure text;
