import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { col, fk } from './columns';

/** Users, programme managers' project assignments and personal API tokens. */
export class Auth1760000400000 implements MigrationInterface {
  name = 'Auth1760000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'app_user',
        columns: [
          col.id(),
          col.str('name', 200),
          col.str('email', 320),
          col.str('role', 30),
          col.bool('active', true),
          col.str('created_at', 30),
          col.version(),
        ],
        uniques: [{ columnNames: ['email'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'user_project',
        columns: [col.id(), col.int('user_id'), col.int('project_id')],
        uniques: [{ columnNames: ['user_id', 'project_id'] }],
        indices: [{ columnNames: ['project_id'] }],
        foreignKeys: [fk('user_id', 'app_user', 'CASCADE'), fk('project_id', 'project', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'api_token',
        columns: [
          col.id(),
          col.str('public_id', 32),
          col.str('secret_sha256', 64),
          col.int('user_id'),
          col.str('label', 200, true),
          col.str('created_at', 30),
          col.str('expires_at', 30),
          col.str('revoked_at', 30, true),
          col.str('last_used_at', 30, true),
        ],
        uniques: [{ columnNames: ['public_id'] }],
        indices: [{ columnNames: ['user_id'] }],
        foreignKeys: [fk('user_id', 'app_user', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('api_token');
    await q.dropTable('user_project');
    await q.dropTable('app_user');
  }
}
