-- The chunk's rows are handed to its downstream columns' runs. $1 chunk id.
update chunks set downstream_owed_since = null where id = $1
