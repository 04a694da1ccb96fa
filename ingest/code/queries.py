"""Tree-sitter queries per language: which nodes are definitions and which are references.

Definition patterns capture the node as `@def.<kind>` (function, class, namespace) and its
name as `@name` where the grammar has one field for it; C-family declarators are unwrapped
in code instead. Reference patterns capture `@call` (the call expression, whose first line
is the call site) or `@inherit`, the called or inherited name as `@name`, and the receiver
as `@object`; `@import` nodes are read by per-language code in `refs.py`.
"""
from __future__ import annotations

__all__ = ["DEFS", "REFS"]

_PY_DEFS = """
(function_definition name: (identifier) @name) @def.function
(class_definition name: (identifier) @name) @def.class
"""
_PY_REFS = """
(call function: (identifier) @name) @call
(call function: (attribute object: (_) @object attribute: (identifier) @name)) @call
(class_definition superclasses: (argument_list (identifier) @name) @inherit)
(class_definition superclasses: (argument_list (attribute attribute: (identifier) @name)) @inherit)
(import_statement) @import
(import_from_statement) @import
(type_alias_statement) @alias
"""

_JS_DEFS = """
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(class_declaration name: (_) @name) @def.class
(method_definition name: (_) @name) @def.function
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)]) @def.function
"""
_JS_REFS = """
(call_expression function: (identifier) @name) @call
(call_expression function: (member_expression object: (_) @object property: (property_identifier) @name)) @call
(new_expression constructor: (identifier) @name) @call
(class_heritage (identifier) @name @inherit)
(import_statement) @import
"""
_TS_DEFS = _JS_DEFS + """
(abstract_class_declaration name: (_) @name) @def.class
(interface_declaration name: (_) @name) @def.class
(enum_declaration name: (_) @name) @def.class
(function_signature name: (identifier) @name) @def.function
"""
_TS_REFS = """
(call_expression function: (identifier) @name) @call
(call_expression function: (member_expression object: (_) @object property: (property_identifier) @name)) @call
(new_expression constructor: (identifier) @name) @call
(extends_clause value: (identifier) @name @inherit)
(implements_clause (type_identifier) @name @inherit)
(import_statement) @import
"""

_C_DEFS = """
(function_definition) @def.function
(struct_specifier name: (type_identifier) @name body: (_)) @def.class
(union_specifier name: (type_identifier) @name body: (_)) @def.class
(enum_specifier name: (type_identifier) @name body: (_)) @def.class
"""
_C_REFS = """
(call_expression function: (identifier) @name) @call
(call_expression function: (field_expression argument: (_) @object field: (field_identifier) @name)) @call
(preproc_include) @import
"""
_CPP_DEFS = _C_DEFS + """
(class_specifier name: (type_identifier) @name body: (_)) @def.class
(namespace_definition name: (_) @name) @def.namespace
"""
_CPP_REFS = _C_REFS + """
(call_expression function: (qualified_identifier name: (identifier) @name)) @call
(call_expression function: (template_function name: (identifier) @name)) @call
(base_class_clause (type_identifier) @name @inherit)
"""

_GO_DEFS = """
(function_declaration name: (identifier) @name) @def.function
(method_declaration name: (field_identifier) @name) @def.function
(type_spec name: (type_identifier) @name type: [(struct_type) (interface_type)]) @def.class
"""
_GO_REFS = """
(call_expression function: (identifier) @name) @call
(call_expression function: (selector_expression operand: (_) @object field: (field_identifier) @name)) @call
(import_spec) @import
"""

_RUST_DEFS = """
(function_item name: (identifier) @name) @def.function
(function_signature_item name: (identifier) @name) @def.function
(struct_item name: (type_identifier) @name) @def.class
(enum_item name: (type_identifier) @name) @def.class
(trait_item name: (type_identifier) @name) @def.class
(impl_item type: (_) @name) @def.impl
(mod_item name: (identifier) @name body: (_)) @def.namespace
"""
_RUST_REFS = """
(call_expression function: (identifier) @name) @call
(call_expression function: (field_expression value: (_) @object field: (field_identifier) @name)) @call
(call_expression function: (scoped_identifier path: (_) @object name: (identifier) @name)) @call
(impl_item trait: (type_identifier) @name @inherit)
(use_declaration) @import
"""

_JAVA_DEFS = """
(class_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.class
(enum_declaration name: (identifier) @name) @def.class
(record_declaration name: (identifier) @name) @def.class
(method_declaration name: (identifier) @name) @def.function
(constructor_declaration name: (identifier) @name) @def.function
"""
_JAVA_REFS = """
(method_invocation object: (_) @object name: (identifier) @name) @call
(method_invocation !object name: (identifier) @name) @call
(object_creation_expression type: (type_identifier) @name) @call
(superclass (type_identifier) @name @inherit)
(super_interfaces (type_list (type_identifier) @name @inherit))
(import_declaration) @import
"""

DEFS = {"python": _PY_DEFS, "javascript": _JS_DEFS, "typescript": _TS_DEFS, "tsx": _TS_DEFS,
        "c": _C_DEFS, "cpp": _CPP_DEFS, "go": _GO_DEFS, "rust": _RUST_DEFS,
        "java": _JAVA_DEFS}
REFS = {"python": _PY_REFS, "javascript": _JS_REFS, "typescript": _TS_REFS, "tsx": _TS_REFS,
        "c": _C_REFS, "cpp": _CPP_REFS, "go": _GO_REFS, "rust": _RUST_REFS,
        "java": _JAVA_REFS}
