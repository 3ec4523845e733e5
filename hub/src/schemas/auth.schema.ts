import Type from 'typebox';

export const Credentials = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 60 }), password: Type.String({ minLength: 1, maxLength: 200, description: 'Password (8+ characters) or PIN (6+ digits)' }) },
  { additionalProperties: false },
);

export const Role = Type.Union([Type.Literal('display'), Type.Literal('staff'), Type.Literal('admin')]);

export const SignedIn = Type.Object({ token: Type.String(), role: Role, name: Type.String() });

export const Me = Type.Object({ role: Role, name: Type.String(), setupRequired: Type.Boolean() });

export const UserInput = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 60 }), role: Type.Union([Type.Literal('staff'), Type.Literal('admin')]), password: Type.String({ minLength: 6, maxLength: 200 }) },
  { additionalProperties: false },
);

export const UserPatch = Type.Object(
  { role: Type.Optional(Type.Union([Type.Literal('staff'), Type.Literal('admin')])), password: Type.Optional(Type.String({ minLength: 6, maxLength: 200 })), disabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const DisplayTokenInput = Type.Object({ label: Type.String({ minLength: 1, maxLength: 60 }) }, { additionalProperties: false });

export const NewDisplayToken = Type.Object({
  id: Type.String(),
  token: Type.String({ description: 'Shown once' }),
  url: Type.String({ description: 'Open this on the wall screen' }),
  qrSvg: Type.String({ description: 'The URL as a QR code, SVG' }),
});
