"""Reading a return's layout: from a reader's blocks to task, plan and summary records.

- `interpret`: the walk over a return's blocks, keeping the scene (group, outcome, Ref, Action).
- `columns`: a table's header row found and its columns mapped onto fields.
- `context`: the lines that set the scene ('Outcome: 2.1 …', 'Ref:', 'Action:', summary lines).
- `legend`: a return's own key to its statuses.
- `group_name`: the group a return names when no "Group:" line says it.
- `records`: one data row of a mapped table turned into a task or plan record.
"""
