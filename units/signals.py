"""What units tells the apps built on it, which it never imports.

`unit_moved` is sent by `services.move_unit` inside the move's transaction, with `unit`,
`old_area_id` and `new_area_id`: certification moves the unit's status counters with it.

`unit_level_changed` is sent by `services.save_unit` inside its transaction when the level in
charge of the unit changed (its managing level or the province's delegation), with `unit` and
`old_level`: certification counts the unit's registrations at the new level.
"""

from django.dispatch import Signal

unit_moved = Signal()
unit_level_changed = Signal()
