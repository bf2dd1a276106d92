"""What units tells the apps built on it, which it never imports.

`unit_moved` is sent by `services.move_unit` inside the move's transaction, with `unit`,
`old_area_id` and `new_area_id`: certification moves the unit's status counters with it.
"""

from django.dispatch import Signal

unit_moved = Signal()
