-- 0009_curriculum down: drop the editor's functions (no tables were added).
DROP FUNCTION academy.save_level_rubric(uuid, text, jsonb, integer);
DROP FUNCTION academy.curriculum_remove_subtree(text, uuid);
DROP FUNCTION academy.duplicate_curriculum_subtree(text, uuid, uuid, uuid);
DROP FUNCTION academy.curriculum_copy_tree(text, uuid, uuid, uuid, jsonb);
DROP FUNCTION academy.curriculum_copy_row(text, uuid, jsonb);
DROP FUNCTION academy.curriculum_is_descendant(text, uuid, text, uuid);
DROP FUNCTION academy.move_curriculum_node(text, uuid, uuid, integer, integer);
DROP FUNCTION academy.curriculum_kind_of(uuid);
DROP FUNCTION academy.curriculum_node_name(text, uuid);
DROP FUNCTION academy.update_curriculum_node(text, uuid, jsonb, integer);
DROP FUNCTION academy.create_curriculum_node(text, uuid, text, integer, uuid);
DROP FUNCTION academy.curriculum_check_name(text, uuid, uuid, text);
DROP FUNCTION academy.curriculum_lock_parent(uuid);
DROP FUNCTION academy.curriculum_refuse(text, text, text);
DROP FUNCTION academy.curriculum_kind_info(text);
