import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { col, fk } from './columns';

/**
 * The staff web app: a password (argon2id hash) per user, sign-in throttling per account and
 * client address (so one client's failures never lock out another), and server-side sessions.
 * A session row is keyed by the SHA-256 of its id, so a copy of the table cannot be replayed
 * as cookies.
 */
export class StaffWeb1785000000000 implements MigrationInterface {
  name = 'StaffWeb1785000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('app_user', [
      new TableColumn({ name: 'password_hash', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'password_changed_at', type: 'varchar', length: '30', isNullable: true }),
      new TableColumn(col.int('failed_sign_ins', false, 0)),
      new TableColumn({ name: 'last_sign_in_at', type: 'varchar', length: '30', isNullable: true }),
    ]);
    await q.createTable(
      new Table({
        name: 'sign_in_throttle',
        columns: [
          col.id(),
          // 0 for an email that matches no user (then only the address is throttled).
          col.int('user_id'),
          col.str('client', 64),
          col.int('failures', false, 0),
          col.str('last_failed_at', 30),
          col.str('locked_at', 30, true),
        ],
        uniques: [{ columnNames: ['user_id', 'client'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'web_session',
        columns: [
          { name: 'id_sha256', type: 'varchar', length: '64', isPrimary: true },
          col.int('user_id', true),
          col.text('data', false),
          col.str('created_at', 30),
          col.str('last_seen_at', 30),
        ],
        indices: [{ columnNames: ['user_id'] }, { columnNames: ['last_seen_at'] }],
        foreignKeys: [fk('user_id', 'app_user', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('web_session');
    await q.dropTable('sign_in_throttle');
    for (const c of ['last_sign_in_at', 'failed_sign_ins', 'password_changed_at', 'password_hash'])
      await q.dropColumn('app_user', c);
  }
}
