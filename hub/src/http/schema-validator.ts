/**
 * Request validation with TypeBox. Like the type provider's own compiler it converts query and
 * path strings to the declared types; unlike it, it also fills declared defaults, so an optional
 * `?limit=` gets its documented default instead of failing as "required".
 */
import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import Value from 'typebox/value';

export const schemaValidator: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = Compile(schema);
  return (input) => {
    const converted = httpPart === 'body' ? input : Value.Convert(schema, input);
    const value = Value.Default(schema, converted);
    if (check.Check(value)) return { value };
    return { error: [...check.Errors(value)] as never };
  };
};
