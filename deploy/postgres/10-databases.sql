-- One database per service: the services share no tables, and each migrates its own schema at start-up.
-- Runs once, when the PostgreSQL volume is first initialised (as POSTGRES_USER, who then owns them).
-- Kept in step with k8s/postgres.yaml's init ConfigMap (deploy/validate.sh compares the two).
CREATE DATABASE jobtracker;
CREATE DATABASE smartaccountsync;
CREATE DATABASE chpa;
CREATE DATABASE clusterassign;
