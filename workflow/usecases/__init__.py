"""The use cases: what the API, the command line and the tests ask of the service (fire a
trigger, add a record, the agenda, statistics, publicity, feeds, auditing, the demo). They work
on the domain through the unit of work of `workflow.store`."""
